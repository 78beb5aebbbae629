package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.metalslake.conform.Duplicates;
import org.metalslake.conform.SilverTable;
import org.metalslake.conform.Vintages;
import org.metalslake.gold.GoldTable;
import org.metalslake.ops.FileCount;
import org.metalslake.ops.Progress.TableCount;
import org.metalslake.ops.Quarantine;
import org.metalslake.ops.Reconciliation;
import org.metalslake.ref.RefData;
import org.metalslake.sources.SourceFormat;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * Silver: the batch's bronze rows conformed to facts per silver table, duplicates inside a file
 * flagged, every record counted (records = to silver + quarantined, per file, before anything is
 * committed), the bad rows written to quarantine and the good ones merged into silver on their key,
 * the latest release of a key winning. USGS files also keep every release's figure (vintages).
 */
final class SilverStage extends Stage {
  /** The column that numbers the batch's files (see {@link BronzeStage.Batch#numbers}). */
  static final String FILE_NO = "__file_order";

  SilverStage(StageContext stage) {
    super(stage);
  }

  /**
   * The silver tables a batch wrote, and for those that feed gold tables rebuilt by years ({@link
   * GoldTable#byYearsInputs}) the years of the rows it merged (from their period); a table without
   * an entry in {@code years} may have changed in any year.
   */
  record Changes(Set<TableId> tables, Map<TableId, SortedSet<Integer>> years) {
    static final Changes NONE = new Changes(Set.of(), Map.of());
  }

  /**
   * Conforms, counts and commits the batch; its file counts go to {@code counts} as soon as they
   * are known (a run that stops on them still logs them). Returns the silver tables written.
   */
  Changes run(BronzeStage.Batch batch, RefData ref, Timestamp now, List<FileCount> counts) {
    progress.start("silver", "conforming " + batch.files().size() + " files");
    Map<TableId, Dataset<Row>> candidates =
        conformAll(batch.rows(), ref, lake.readIfExists(Tables.TRADE_COUNTRY_CODES).orElse(null));
    Dataset<Row> numbers = broadcast(fileNumbers(batch));
    Map<TableId, Dataset<Row>> judged = new LinkedHashMap<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    Dataset<Row> outcome = null;
    for (Map.Entry<TableId, Dataset<Row>> e : candidates.entrySet()) {
      // The conformed rows, computed once and cut from the conform plan: every later step
      // (duplicates, counts, quarantine, the merge) then plans a small tree over them instead of
      // analysing the whole conform plan again. The raw record is only needed for quarantine
      // rows; it is joined back from bronze there, so the facts stay narrow.
      Dataset<Row> facts =
          e.getValue()
              .join(numbers, "_file_id")
              .withColumn("_target", lit(e.getKey().qualified()))
              .localCheckpoint(true);
      cached.add(facts);
      Dataset<Row> f = Duplicates.flag(facts, SilverTable.of(e.getKey()).key(), FILE_NO);
      judged.put(e.getKey(), f);
      Dataset<Row> o =
          f.select(col(FILE_NO).as("_file_no"), col("_line"), col("_severity"), col("_target"));
      outcome = outcome == null ? o : o.unionByName(outcome);
    }
    Reconciliation.Counts c;
    try {
      c = Reconciliation.of(outcome, batch.inputFiles());
    } catch (IllegalStateException internal) {
      throw new PipelineException(internal.getMessage(), internal);
    }
    progress.debug("silver", "conformed and counted");
    counts.addAll(c.files().values());
    Reconciliation.problem(c, settings.maxQuarantineShare())
        .ifPresent(
            p -> {
              throw new PipelineException(p);
            });

    Quarantine.write(
        lake, List.copyOf(judged.values()), batch.rowsByFormatName(), batch.fileIds(), now);
    progress.debug("silver", "quarantine written");

    // Vintages are kept for publications that revise their figures release by release (USGS);
    // a batch without such files does no vintage work at all.
    List<String> vintageFormats =
        batch.byFormat().keySet().stream()
            .filter(SourceFormat::keepsVintages)
            .map(SourceFormat::name)
            .toList();
    Dataset<Row> vintages = null;
    List<Callable<TableId>> merges = new ArrayList<>();
    Set<TableId> yearsWanted = GoldTable.byYearsInputs();
    Map<TableId, SortedSet<Integer>> years = new java.util.concurrent.ConcurrentHashMap<>();
    for (Map.Entry<TableId, Dataset<Row>> e : judged.entrySet()) {
      SilverTable st = SilverTable.of(e.getKey());
      Dataset<Row> good = e.getValue().filter(col("_reason").isNull());
      if (!vintageFormats.isEmpty()) {
        Dataset<Row> v =
            Vintages.of(e.getKey(), good.filter(col("_format").isin(vintageFormats.toArray())));
        if (v != null) {
          vintages = vintages == null ? v : vintages.unionByName(v);
        }
      }
      merges.add(
          () -> {
            TableId t = e.getKey();
            boolean byYear = Tables.BY_YEAR.contains(t);
            java.util.Optional<SortedSet<Integer>> batchYears =
                yearsWanted.contains(t) || byYear ? yearsOf(good) : java.util.Optional.empty();
            if (yearsWanted.contains(t)) {
              batchYears.ifPresent(y -> years.put(t, y));
            }
            Dataset<Row> latest =
                latestPerKey(good, st.key()).drop(FILE_NO, "_reason", "_severity", "_target");
            if (byYear && batchYears.isPresent() && !batchYears.get().isEmpty()) {
              // The key holds the period, which starts with the year: a stored row with a key of
              // the batch is in one of the batch's years.
              lake.writes().mergeInYears(latest, t, st.key(), st.doc(), batchYears.get());
            } else {
              lake.writes().merge(latest, t, st.key(), st.doc());
            }
            return t;
          });
    }
    // The tables are independent: merged side by side.
    Set<TableId> changed = new HashSet<>(Parallel.all(merges));
    // The released figures of the batch, computed once (few: one row per figure and release).
    // Most batches carry none (trade files, generic files): no vintage table then.
    Dataset<Row> released = vintages == null ? null : vintages.localCheckpoint(true);
    if (released != null && !released.isEmpty()) {
      // Every release's value, each figure once per release (the latest file of a release wins).
      lake.writes()
          .merge(
              latestPerKey(released, Vintages.KEY).drop(FILE_NO, "_file_id", "_line"),
              Tables.VINTAGES,
              Vintages.KEY,
              Vintages.DOC);
      changed.add(Tables.VINTAGES);
    }
    progress.debug("silver", "facts merged");
    years.keySet().retainAll(changed);
    cached.forEach(SilverStage::release);
    long records = c.records();
    long errors = c.errors();
    long skipped = c.skipped();
    double seconds =
        progress.done(
            "silver",
            String.format(
                Locale.ROOT,
                "%,d records: %,d to silver, %,d quarantined (%,d errors, %,d skipped as out of"
                    + " scope)",
                records,
                records - errors - skipped,
                errors + skipped,
                errors,
                skipped));
    // Each silver table's row counts, with the stage's seconds (the tables are written in one go).
    for (TableId t : judged.keySet()) {
      long[] n = c.tables().getOrDefault(t.qualified(), new long[3]);
      progress.table(new TableCount(t.qualified(), n[0], n[1], n[2], seconds));
    }
    return new Changes(changed, Map.copyOf(years));
  }

  /**
   * The years of the facts' periods (which start with the year), from the batch's checkpointed
   * rows: a small job. Empty when a period does not start with a year.
   */
  private static java.util.Optional<SortedSet<Integer>> yearsOf(Dataset<Row> facts) {
    SortedSet<Integer> out = new TreeSet<>();
    for (Row r : facts.select(col("period").substr(1, 4)).distinct().collectAsList()) {
      String y = r.getString(0);
      if (y == null || !y.matches("[0-9]{4}")) {
        return java.util.Optional.empty();
      }
      out.add(Integer.parseInt(y));
    }
    return java.util.Optional.of(out);
  }

  /**
   * Frees the blocks of a dataset materialised with {@code localCheckpoint} now, rather than when
   * the driver next collects its garbage.
   */
  private static void release(Dataset<Row> checkpointed) {
    if (checkpointed.queryExecution().logical()
        instanceof org.apache.spark.sql.execution.LogicalRDD r) {
      r.rdd().unpersist(false);
    }
  }

  private Dataset<Row> fileNumbers(BronzeStage.Batch batch) {
    List<Row> rows = new ArrayList<>();
    batch.numbers().forEach((id, n) -> rows.add(RowFactory.create(id, n)));
    return spark()
        .createDataFrame(rows, StructType.fromDDL("_file_id STRING, " + FILE_NO + " INT"));
  }

  /**
   * Every format's bronze rows conformed to facts per silver table. Reference formats (code lists)
   * go first: the other formats see the code lists that landed, in this batch (its good facts) or
   * earlier ({@code earlierCodes}, silver.trade_country_codes; null when none), each the authority
   * for its release.
   */
  static Map<TableId, Dataset<Row>> conformAll(
      Map<SourceFormat, Dataset<Row>> bronzeByFormat, RefData ref, Dataset<Row> earlierCodes) {
    Map<TableId, Dataset<Row>> facts = new LinkedHashMap<>();
    List<SourceFormat> order = new ArrayList<>(bronzeByFormat.keySet());
    order.sort((a, b) -> Boolean.compare(b.reference(), a.reference()));
    RefData used = ref;
    boolean referencesDone = false;
    for (SourceFormat fmt : order) {
      if (!fmt.reference() && !referencesDone) {
        used = withLandedReferences(ref, facts, earlierCodes);
        referencesDone = true;
      }
      Dataset<Row> bronze = bronzeByFormat.get(fmt);
      for (Map.Entry<TableId, Dataset<Row>> e : fmt.conform(bronze, used).entrySet()) {
        facts.merge(e.getKey(), e.getValue(), Dataset::unionByName);
      }
    }
    return facts;
  }

  private static RefData withLandedReferences(
      RefData ref, Map<TableId, Dataset<Row>> facts, Dataset<Row> earlierCodes) {
    Dataset<Row> codes =
        earlierCodes == null
            ? null
            : earlierCodes.select("source", "release", "code", "iso3", "kind");
    Dataset<Row> landed = facts.get(Tables.TRADE_COUNTRY_CODES);
    if (landed != null) {
      Dataset<Row> good =
          landed
              .filter(col("_reason").isNull())
              .select("source", "release", "code", "iso3", "kind");
      codes = codes == null ? good : codes.unionByName(good);
    }
    return codes == null ? ref : ref.withReleaseTradeCodes(codes);
  }

  /**
   * The latest fact per key when files of one batch share keys (a later release replaces an earlier
   * one: newest release, then latest file, then latest line). Inside a file a key is unique by now
   * (duplicates are quarantined), so only keys seen more than once come from several files: they
   * are found with an aggregation over the key columns and only they are resolved.
   */
  static Dataset<Row> latestPerKey(Dataset<Row> good, List<String> key) {
    // The newest release first (USGS MCS2024 over MCS2022 whatever the files' order), then the
    // latest file and line.
    Column release =
        java.util.Arrays.asList(good.columns()).contains("release")
            ? org.apache.spark.sql.functions.coalesce(col("release"), lit(""))
            : lit("");
    Column position = struct(release, col(FILE_NO), col("_line"));
    Dataset<Row> repeated =
        good.groupBy(key.stream().map(k -> col(k)).toArray(Column[]::new))
            .agg(count(lit(1)).as("__n"), max(position).as("__latest"))
            .filter(col("__n").gt(1));
    for (String k : key) {
      repeated = repeated.withColumnRenamed(k, "__r_" + k);
    }
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col(k).eqNullSafe(col("__r_" + k)));
    }
    Dataset<Row> joined = good.join(Duplicates.smallSide(repeated), on, "left");
    for (String k : key) {
      joined = joined.drop("__r_" + k);
    }
    return joined
        .filter(col("__n").isNull().or(position.equalTo(col("__latest"))))
        .drop("__n", "__latest");
  }
}
