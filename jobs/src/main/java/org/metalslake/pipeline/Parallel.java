package org.metalslake.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.metalslake.storage.Conflicts;

/**
 * Runs independent Spark actions (writes to different tables) at the same time: on small data a
 * Delta write is mostly driver latency, so overlapping them shortens a run.
 *
 * <p>A write that Delta refused because another run committed to the same table at the same time is
 * written again, up to {@link #ATTEMPTS} times in all: every write of a run can be repeated (a
 * file's rows replace that file's, a merge upserts on its key, gold is recomputed), and repeated on
 * the table as the other run left it, it is what a run started a moment later would write. Two runs
 * at once that each win one table and lose another then both complete, instead of both exiting 75;
 * a write refused {@link #ATTEMPTS} times fails the run (exit 75, run it again).
 */
final class Parallel {
  private static final int THREADS = 4;

  /** Attempts of one write that other runs' commits keep refusing. */
  static final int ATTEMPTS = 3;

  private static final Logger LOG = LogManager.getLogger("org.metalslake.progress");

  private Parallel() {}

  static <T> List<T> all(List<Callable<T>> tasks) {
    if (tasks.size() <= 1) {
      List<T> out = new ArrayList<>();
      for (Callable<T> t : tasks) {
        out.add(call(t));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, tasks.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(pool.submit(() -> call(t)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted", e);
    } catch (ExecutionException e) {
      throw unwrapped(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Starts {@code task} on its own thread; {@link #join} waits for it and rethrows its failure. */
  static <T> java.util.concurrent.CompletableFuture<T> background(Callable<T> task) {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(task.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "metalslake-background");
    t.setDaemon(true);
    t.start();
    return f;
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw unwrapped(e.getCause());
    }
  }

  /** A task's failure as thrown by the task: its own runtime exception, else wrapped. */
  private static RuntimeException unwrapped(Throwable cause) {
    return cause instanceof RuntimeException r
        ? r
        : new PipelineException(cause.getMessage(), cause);
  }

  private static <T> T call(Callable<T> t) {
    for (int attempt = 1; ; attempt++) {
      try {
        return t.call();
      } catch (RuntimeException e) {
        Throwable refusal = Conflicts.refusal(e);
        if (attempt >= ATTEMPTS || refusal == null) {
          throw e;
        }
        LOG.warn(
            "another run committed to the same table at the same time ("
                + refusal.getClass().getSimpleName()
                + "): writing again on the table as it now is, attempt "
                + (attempt + 1)
                + " of "
                + ATTEMPTS);
        pause(attempt);
      } catch (Exception e) {
        throw new PipelineException(e.getMessage(), e);
      }
    }
  }

  /** A random pause that grows with the attempt, so two runs do not collide again in step. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(250, 1500) * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted", e);
    }
  }
}
