package org.metalslake.storage;

import io.delta.tables.DeltaTable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The lake's writes, each one Delta commit that can be repeated: a table is created by its first
 * write (never empty first), replaced per predicate, appended to, merged on its key, or synced to a
 * transform's whole result (gold, with the change data feed on).
 */
public final class TableWrites {
  private final Lake lake;

  TableWrites(Lake lake) {
    this.lake = lake;
  }

  /**
   * Creates the table, when it does not exist yet, holding {@code df}'s rows in one commit (version
   * 0): its schema with the column comments of {@code doc}, the table comment and {@code
   * properties}. A table is never created empty first: that would be a second commit, and the first
   * write would then have to read the empty version back. False when the table exists (nothing
   * written).
   */
  private boolean createdWith(
      Dataset<Row> df, TableId t, TableDoc doc, Map<String, String> properties) {
    return createdWith(df, t, doc, properties, List.of());
  }

  private boolean createdWith(
      Dataset<Row> df,
      TableId t,
      TableDoc doc,
      Map<String, String> properties,
      List<String> partitionBy) {
    if (lake.exists(t)) {
      return false;
    }
    var writer = documented(df, doc).writeTo(lake.pathIdentifier(t)).using("delta");
    if (!partitionBy.isEmpty()) {
      org.apache.spark.sql.Column[] more =
          partitionBy.stream()
              .skip(1)
              .map(org.apache.spark.sql.functions::col)
              .toArray(org.apache.spark.sql.Column[]::new);
      writer = writer.partitionedBy(org.apache.spark.sql.functions.col(partitionBy.get(0)), more);
    }
    for (var p : properties.entrySet()) {
      writer = writer.tableProperty(p.getKey(), p.getValue());
    }
    if (doc != null && doc.comment() != null) {
      writer = writer.tableProperty("comment", doc.comment());
    }
    try {
      writer.create();
    } catch (Exception e) { // Delta's analysis errors are checked, and thrown unchecked
      // Delta's catalog calls any non-empty folder a table, and Delta refuses to create one in a
      // folder with files but no commit. Either another run created the table since
      // lake.exists() said no (or committed version 0 first: a protocol change): the write goes
      // into that table like any later run's, these rows are in no commit; or the folder holds a
      // creation that never committed (a run killed while creating the table, or another run
      // creating it right now), which no reader sees.
      if (lake.committed(t)) {
        return false;
      }
      if (!(e instanceof org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException
          || condition(e, "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION"))) {
        throw TableWrites.<RuntimeException>rethrown(e);
      }
      try {
        // No commit: create over the leftover, still one commit (version 0) with its comment.
        writer.createOrReplace();
      } catch (Exception again) {
        // The run creating it right now committed first: write into its table.
        if (lake.committed(t)) {
          return false;
        }
        throw TableWrites.<RuntimeException>rethrown(again);
      }
    }
    lake.catalog().registerInMetastore(t);
    return true;
  }

  /**
   * {@code e} thrown as it is, checked or not, as Spark's and Delta's Scala code throws its checked
   * analysis errors: {@code throw TableWrites.<RuntimeException>rethrown(e)}.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrown(Exception e) throws E {
    throw (E) e;
  }

  /** Whether {@code e} is Spark's or Delta's error of that condition (error class). */
  private static boolean condition(Exception e, String name) {
    return e instanceof org.apache.spark.SparkThrowable st && name.equals(st.getCondition());
  }

  /** {@code df} with each column's comment from {@code doc} in its metadata (Delta keeps it). */
  static Dataset<Row> documented(Dataset<Row> df, TableDoc doc) {
    if (doc == null || doc.columns().isEmpty()) {
      return df;
    }
    boolean any = false;
    org.apache.spark.sql.Column[] columns = new org.apache.spark.sql.Column[df.columns().length];
    StructField[] fields = df.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      String comment = doc.columns().get(fields[i].name());
      org.apache.spark.sql.Column c = df.col("`" + fields[i].name().replace("`", "``") + "`");
      if (comment == null) {
        columns[i] = c;
      } else {
        any = true;
        columns[i] =
            c.as(
                fields[i].name(),
                new org.apache.spark.sql.types.MetadataBuilder()
                    .withMetadata(fields[i].metadata())
                    .putString("comment", comment)
                    .build());
      }
    }
    return any ? df.select(columns) : df;
  }

  /** Replaces the whole content of a table in one commit. */
  public void overwrite(Dataset<Row> df, TableId t, TableDoc doc) {
    if (createdWith(df, t, doc, Map.of())) {
      return;
    }
    df.write().format("delta").mode("overwrite").save(lake.location(t));
  }

  /**
   * Replaces the rows matching {@code predicate} with {@code df} in one commit. New columns in
   * {@code df} are added to the table (a bronze table grows a column when a file brings one).
   */
  public void replaceWhere(Dataset<Row> df, TableId t, String predicate, TableDoc doc) {
    replaceWhere(df, t, predicate, doc, Map.of());
  }

  /**
   * {@link #replaceWhere(Dataset, TableId, String, TableDoc)}, a new table created with {@code
   * properties}.
   */
  public void replaceWhere(
      Dataset<Row> df, TableId t, String predicate, TableDoc doc, Map<String, String> properties) {
    if (createdWith(df, t, doc, properties)) {
      return;
    }
    df.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .option("mergeSchema", "true")
        .save(lake.location(t));
  }

  /**
   * Replaces a small table's content and comment in one commit ({@code CREATE OR REPLACE TABLE … AS
   * SELECT}), recording {@code fingerprint} as a table property so an unchanged table is not
   * written again.
   */
  public void replaceTagged(Dataset<Row> df, TableId t, String comment, String fingerprint) {
    df.writeTo(lake.pathIdentifier(t))
        .using("delta")
        .tableProperty("comment", comment)
        .tableProperty(Lake.FINGERPRINT, fingerprint)
        .createOrReplace();
    lake.catalog().registerInMetastore(t);
  }

  /** Appends {@code df} in one commit; new columns are added to the table. */
  /**
   * Appends a few rows built on the driver (a run's log row, its rejected files) in one commit:
   * written in this process when the table exists and has their columns, through Spark otherwise
   * (creating the table with its documentation, or adding a column).
   */
  public void appendRows(
      List<Row> rows, org.apache.spark.sql.types.StructType schema, TableId t, TableDoc doc) {
    if (!lake.appends().append(lake.location(t), schema, rows)) {
      append(lake.spark().createDataFrame(rows, schema), t, doc);
    }
  }

  public void append(Dataset<Row> df, TableId t, TableDoc doc) {
    if (createdWith(df, t, doc, Map.of())) {
      return;
    }
    df.write().format("delta").mode("append").option("mergeSchema", "true").save(lake.location(t));
  }

  /**
   * Upserts {@code df} on the key columns (null-safe): a row with a known key replaces the stored
   * one when any value differs, a new key is inserted.
   */
  public void merge(Dataset<Row> df, TableId t, List<String> keys, TableDoc doc) {
    merge(df, t, keys, doc, null);
  }

  /**
   * {@link #merge(Dataset, TableId, List, TableDoc)} for a table partitioned by its {@code year}
   * column (a new table is created so): {@code df} holds rows of {@code years} only, and a stored
   * row with the same key has the same year (the year is part of the key's period), so the match
   * reads only those years' partitions.
   */
  public void mergeInYears(
      Dataset<Row> df, TableId t, List<String> keys, TableDoc doc, Collection<Integer> years) {
    if (years.isEmpty()) {
      throw new IllegalArgumentException("no years to merge in " + t);
    }
    merge(df, t, keys, doc, years);
  }

  /** The merge; {@code years} null for a table merged whole (not partitioned by year). */
  private void merge(
      Dataset<Row> df, TableId t, List<String> keys, TableDoc doc, Collection<Integer> years) {
    if (!lake.exists(t)) {
      // First load: nothing to match against, a plain write is the same result and faster.
      if (years == null || !createdWith(df, t, doc, Map.of(), List.of("year"))) {
        overwrite(df, t, doc);
      }
      return;
    }
    DeltaTable table = DeltaTable.forPath(lake.spark(), lake.location(t));
    java.util.Set<String> existing = java.util.Set.of(table.toDF().columns());
    boolean newColumns = !existing.containsAll(List.of(df.columns()));
    // Lineage columns (_file_id, _line, …) alone changing is no reason to rewrite a row; a column
    // the table does not have yet is (schema evolution adds it).
    String changed =
        newColumns
            ? ""
            : changedCondition(df, keys, c -> !c.startsWith("_") && existing.contains(c));
    // A figure of an older release never replaces the newer release's (MCS2022 loaded after
    // MCS2024): releases of one source compare as text (MCS2022 < MCS2024, V202201 < V202501).
    if (!keys.contains("release")
        && existing.contains("release")
        && List.of(df.columns()).contains("release")) {
      String notOlder =
          "(t.`release` IS NULL OR s.`release` IS NULL OR s.`release` >= t.`release`)";
      changed = changed.isEmpty() ? notOlder : notOlder + " AND (" + changed + ")";
    }
    String on = keyCondition(keys);
    if (years != null) {
      on += " AND " + inYears(years);
    }
    var builder = table.as("t").merge(df.as("s"), on).withSchemaEvolution();
    (changed.isEmpty() ? builder.whenMatched() : builder.whenMatched(changed))
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .execute();
  }

  /** {@code t.`year` IN (y1, y2, …)}, the years in order. */
  private static String inYears(Collection<Integer> years) {
    return "t.`year` IN ("
        + years.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "))
        + ")";
  }

  /** Target {@code t} and source {@code s} rows match on every key column, nulls equal. */
  private static String keyCondition(List<String> keys) {
    return keys.stream()
        .map(k -> "t.`" + k + "` <=> s.`" + k + "`")
        .collect(Collectors.joining(" AND "));
  }

  /**
   * Some compared non-key column differs between {@code t} and {@code s}; empty when none. Maps
   * have no equality in Spark SQL: they are compared as their entries, sorted.
   */
  private static String changedCondition(
      Dataset<Row> df, List<String> keys, java.util.function.Predicate<String> compared) {
    return java.util.Arrays.stream(df.schema().fields())
        .filter(f -> !keys.contains(f.name()) && compared.test(f.name()))
        .map(
            f -> {
              String c = f.name();
              return f.dataType() instanceof org.apache.spark.sql.types.MapType
                  ? "NOT (array_sort(map_entries(t.`"
                      + c
                      + "`)) <=> array_sort(map_entries(s.`"
                      + c
                      + "`)))"
                  : "NOT (t.`" + c + "` <=> s.`" + c + "`)";
            })
        .collect(Collectors.joining(" OR "));
  }

  static final String CHANGE_FEED = "delta.enableChangeDataFeed";

  /**
   * Table properties of a table of records kept per file (bronze, quarantine): file statistics on
   * the lineage columns only. Such a table is replaced and read by {@code _file_id}; min/max of
   * every source column, gathered row by row on each write, would skip no file.
   */
  public static final Map<String, String> PER_FILE_RECORDS =
      Map.of("delta.dataSkippingStatsColumns", "_file_id,_line");

  /**
   * Makes the table hold exactly {@code df}, row by row on the key (null-safe): changed rows are
   * updated, new ones inserted, vanished ones deleted, unchanged ones left alone. The table has the
   * change data feed on, so consumers read just what changed ({@code table_changes}). A new schema
   * (a release that adds a column) replaces the table in one overwrite. Returns the rows the table
   * holds now.
   */
  public long sync(Dataset<Row> df, TableId t, List<String> keys, TableDoc doc) {
    return sync(df, t, keys, doc, List.of());
  }

  /**
   * {@link #sync}, a new table (or one replaced for a new schema) partitioned by {@code
   * partitionBy}: gold rebuilt by years is partitioned by year, so that a rebuild of some years
   * reads and rewrites only their files.
   */
  public long sync(
      Dataset<Row> df, TableId t, List<String> keys, TableDoc doc, List<String> partitionBy) {
    if (createdWith(df, t, doc, Map.of(CHANGE_FEED, "true"), partitionBy)) {
      return lastCommitRows(t, "numOutputRows");
    }
    if (!"true".equals(lake.property(t, CHANGE_FEED))) {
      // A lake written before the change feed was on: switch it on once (a new table is created
      // with it above).
      lake.spark()
          .sql(
              "ALTER TABLE "
                  + lake.pathIdentifier(t)
                  + " SET TBLPROPERTIES ('"
                  + CHANGE_FEED
                  + "' = 'true')");
    }
    DeltaTable table = DeltaTable.forPath(lake.spark(), lake.location(t));
    if (!sameColumns(table.toDF().schema(), df.schema())) {
      df.write()
          .format("delta")
          .mode("overwrite")
          .option("overwriteSchema", "true")
          .partitionBy(partitionBy.toArray(String[]::new))
          .save(lake.location(t));
      return lastCommitRows(t, "numOutputRows");
    } else {
      String changed = changedCondition(df, keys, c -> true);
      var builder = table.as("t").merge(df.as("s"), keyCondition(keys));
      (changed.isEmpty() ? builder.whenMatched() : builder.whenMatched(changed))
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .whenNotMatchedBySource()
          .delete()
          .execute();
      // The source is the table's whole new content.
      return lastCommitRows(t, "numSourceRows");
    }
  }

  /**
   * Makes the rows of the years {@code years} (the table's {@code year} column) hold exactly {@code
   * df}, which has rows of those years only, row by row on the key as {@link #sync} does; the rows
   * of other years are neither read for the match nor touched. The table must exist with {@code
   * df}'s columns ({@link #syncsInPlace}). Used for gold rebuilt by the years a batch touched.
   */
  public void syncYears(Dataset<Row> df, TableId t, List<String> keys, Collection<Integer> years) {
    if (years.isEmpty()) {
      throw new IllegalArgumentException("no years to sync in " + t);
    }
    DeltaTable table = DeltaTable.forPath(lake.spark(), lake.location(t));
    if (!sameColumns(table.toDF().schema(), df.schema())) {
      throw new IllegalStateException(t + " has other columns than its rebuild: rebuild it whole");
    }
    String inYears = inYears(years);
    String changed = changedCondition(df, keys, c -> true);
    var builder = table.as("t").merge(df.as("s"), keyCondition(keys) + " AND " + inYears);
    (changed.isEmpty() ? builder.whenMatched() : builder.whenMatched(changed))
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .whenNotMatchedBySource(inYears)
        .delete()
        .execute();
  }

  /**
   * True when {@code t} exists with {@code df}'s columns (names and types in order), so that {@link
   * #syncYears} can update it in place.
   */
  public boolean syncsInPlace(Dataset<Row> df, TableId t) {
    return lake.exists(t) && sameColumns(lake.read(t).schema(), df.schema());
  }

  /**
   * A row count from the table's last commit metrics (the transaction log's commit info: no data is
   * read); -1 when the commit has no such metric.
   */
  private long lastCommitRows(TableId t, String metric) {
    List<Row> last =
        DeltaTable.forPath(lake.spark(), lake.location(t))
            .history(1)
            .select(org.apache.spark.sql.functions.col("operationMetrics").getItem(metric))
            .collectAsList();
    if (last.isEmpty() || last.get(0).isNullAt(0)) {
      return -1;
    }
    return Long.parseLong(last.get(0).getString(0));
  }

  private static boolean sameColumns(StructType a, StructType b) {
    if (a.fields().length != b.fields().length) {
      return false;
    }
    for (int i = 0; i < a.fields().length; i++) {
      StructField x = a.fields()[i];
      StructField y = b.fields()[i];
      if (!x.name().equals(y.name()) || !x.dataType().sameType(y.dataType())) {
        return false;
      }
    }
    return true;
  }
}
