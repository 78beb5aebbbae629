package org.metalslake.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent Spark actions (writes to different tables) at the same time: on small data a
 * Delta write is mostly driver latency, so overlapping them shortens a run.
 */
final class Parallel {
  private static final int THREADS = 4;

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
        futures.add(pool.submit(t));
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
    try {
      return t.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new PipelineException(e.getMessage(), e);
    }
  }
}
