package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;

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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.gold.GoldInputs;
import org.metalslake.gold.GoldTable;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;

/**
 * Gold: the tables whose inputs changed, or that do not exist yet, rebuilt from silver and synced
 * (merged on their key, so unchanged rows are not rewritten); a table whose rows of a year read
 * only that year and the one before is rebuilt for the years the batch touched and the next ({@link
 * GoldTable#byYears}), the rest of it left as it is. In waves: a table that reads another gold
 * table comes after it, and is rebuilt whenever that one is; the tables of a wave side by side.
 */
final class GoldStage extends Stage {

  GoldStage(StageContext stage) {
    super(stage);
  }

  /**
   * Rebuilds the tables whose inputs are among {@code changedSilver} or that are missing; {@code
   * ref} is loaded only when a table is built.
   */
  void run(Supplier<RefData> ref, SilverStage.Changes silver) {
    Set<TableId> changed = new HashSet<>(silver.tables());
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
        build(ref.get(), todo, silver, changed);
      }
    }
  }

  /**
   * The stored bytes of the existing silver tables read by the gold tables whose inputs are among
   * {@code silver}'s (from the Delta log's file sizes: no data is read).
   */
  long inputBytes(SilverStage.Changes silver) {
    Set<TableId> read = new HashSet<>();
    for (GoldTable g : GoldTable.ALL) {
      if (g.inputs().stream().anyMatch(silver.tables()::contains)) {
        g.inputs().stream().filter(t -> t.layer().equals("silver")).forEach(read::add);
      }
    }
    long bytes = 0;
    for (TableId t : read) {
      if (lake.exists(t)) {
        bytes += lake.read(t).queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
      }
    }
    return bytes;
  }

  /**
   * The years to rebuild {@code g} by, or null to rebuild it whole: by years when it allows it, it
   * exists, and every input that changed in this run says which years it changed in.
   */
  private GoldTable.Years years(GoldTable g, SilverStage.Changes silver, Set<TableId> changed) {
    if (!settings.goldByYears() || !g.byYears() || !lake.exists(g.id())) {
      return null;
    }
    java.util.SortedSet<Integer> touched = new java.util.TreeSet<>();
    for (TableId in : g.inputs()) {
      if (changed.contains(in)) {
        java.util.SortedSet<Integer> y = silver.years().get(in);
        if (y == null) {
          return null;
        }
        touched.addAll(y);
      }
    }
    return touched.isEmpty() ? null : new GoldTable.Years(touched);
  }

  private void build(
      RefData ref, List<GoldTable> todo, SilverStage.Changes silver, Set<TableId> changed) {
    Map<TableId, GoldTable.Years> byYears = new java.util.HashMap<>();
    for (GoldTable g : todo) {
      GoldTable.Years y = years(g, silver, changed);
      if (y != null) {
        byYears.put(g.id(), y);
      }
    }
    progress.start(
        "gold",
        todo.stream()
            .map(
                g ->
                    g.id().qualified()
                        + (byYears.containsKey(g.id())
                            ? " (years " + byYears.get(g.id()).rebuilt() + ")"
                            : ""))
            .collect(Collectors.joining(", ")));
    Map<TableId, Long> inputRows = new ConcurrentHashMap<>();
    GoldInputs inputs = new GoldInputs(lake);
    // One set of inputs per span of years (the tables of a batch usually share one).
    Map<GoldTable.Years, GoldInputs> inputsByYears = new ConcurrentHashMap<>();
    List<Callable<TableCount>> tasks = new ArrayList<>();
    for (GoldTable g : todo) {
      tasks.add(
          () -> {
            long t0 = System.nanoTime();
            GoldTable.Years y = byYears.get(g.id());
            long rows = -1;
            boolean done = false;
            if (y != null) {
              GoldInputs in = inputsByYears.computeIfAbsent(y, x -> new GoldInputs(lake, x));
              Dataset<Row> part =
                  g.build()
                      .apply(in, ref, settings)
                      .filter(col("year").isin(y.rebuilt().toArray()));
              if (lake.writes().syncsInPlace(part, g.id())) {
                lake.writes().syncYears(part, g.id(), g.key(), y.rebuilt());
                done = true;
              }
            }
            if (!done) {
              rows =
                  lake.writes()
                      .sync(
                          g.build().apply(inputs, ref, settings),
                          g.id(),
                          g.key(),
                          g.doc(),
                          g.byYears() ? List.of("year") : List.of());
            }
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
      inputsByYears.values().forEach(GoldInputs::release);
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
