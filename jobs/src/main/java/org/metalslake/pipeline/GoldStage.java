package org.metalslake.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.metalslake.gold.GoldInputs;
import org.metalslake.gold.GoldTable;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;

/**
 * Gold: the tables whose inputs changed, or that do not exist yet, rebuilt from silver and synced
 * (merged on their key, so unchanged rows are not rewritten). In waves: a table that reads another
 * gold table comes after it, and is rebuilt whenever that one is; the tables of a wave side by
 * side.
 */
final class GoldStage extends Stage {

  GoldStage(StageContext stage) {
    super(stage);
  }

  /**
   * Rebuilds the tables whose inputs are among {@code changedSilver} or that are missing; {@code
   * ref} is loaded only when a table is built.
   */
  void run(Supplier<RefData> ref, Set<TableId> changedSilver) {
    Set<TableId> changed = new HashSet<>(changedSilver);
    List<GoldTable> pending = new ArrayList<>(GoldTable.ALL);
    while (!pending.isEmpty()) {
      Set<TableId> waiting = pending.stream().map(GoldTable::id).collect(Collectors.toSet());
      List<GoldTable> wave =
          pending.stream().filter(g -> g.inputs().stream().noneMatch(waiting::contains)).toList();
      if (wave.isEmpty()) {
        throw new IllegalStateException("gold tables read each other in a cycle: " + waiting);
      }
      pending.removeAll(wave);
      List<GoldTable> todo = new ArrayList<>();
      for (GoldTable g : wave) {
        boolean inputsChanged = g.inputs().stream().anyMatch(changed::contains);
        boolean missing = !lake.exists(g.id());
        if (g.inputsExist(lake) && (inputsChanged || missing)) {
          todo.add(g);
          changed.add(g.id());
        }
      }
      if (!todo.isEmpty()) {
        build(ref.get(), todo);
      }
    }
  }

  private void build(RefData ref, List<GoldTable> todo) {
    progress.start(
        "gold", todo.stream().map(g -> g.id().qualified()).collect(Collectors.joining(", ")));
    Map<TableId, Long> inputRows = new ConcurrentHashMap<>();
    GoldInputs inputs = new GoldInputs(lake);
    List<Callable<TableCount>> tasks = new ArrayList<>();
    for (GoldTable g : todo) {
      tasks.add(
          () -> {
            long t0 = System.nanoTime();
            long rows =
                lake.writes()
                    .sync(g.build().apply(inputs, ref, settings), g.id(), g.key(), g.doc());
            if (rows < 0) {
              rows = lake.read(g.id()).count();
            }
            long in = 0;
            for (TableId t : g.inputs().stream().filter(lake::exists).toList()) {
              // Counted from the table: Delta answers a count from the file statistics in its
              // log, where counting a cached copy would build the cache for it.
              in += inputRows.computeIfAbsent(t, x -> lake.read(x).count());
            }
            return new TableCount(
                g.id().qualified(), in, rows, null, (System.nanoTime() - t0) / 1e9);
          });
    }
    List<TableCount> done;
    try {
      done = Parallel.all(tasks);
    } finally {
      // Releases the cached silver reads, the shared intermediates and what the growth
      // transforms cache (nothing else is cached at this point of a run).
      inputs.release();
      spark().catalog().clearCache();
    }
    done.forEach(progress::table);
    progress.done(
        "gold",
        done.stream()
            .map(c -> String.format(Locale.ROOT, "%s: %,d rows", c.table(), c.rowsOut()))
            .collect(Collectors.joining(", ")));
  }
}
