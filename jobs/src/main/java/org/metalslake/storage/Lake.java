package org.metalslake.storage;

import io.delta.tables.DeltaTable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.metalslake.config.Settings;

/**
 * Table names and their locations ({@code <root>/<layer>/<table>}), Delta reads and writes, and
 * registration of the tables in the session catalog so every command can use them by name.
 */
public final class Lake {
  private final SparkSession spark;
  private final String root;
  private final boolean metastore;

  public Lake(SparkSession spark, Settings settings) {
    this(spark, settings.lakeRoot(), settings.registerInMetastore());
  }

  public Lake(SparkSession spark, String root, boolean metastore) {
    this.spark = spark;
    this.root = normalise(root);
    this.metastore = metastore;
  }

  static String normalise(String root) {
    String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    if (URI.create(trimmed.replace(" ", "%20")).getScheme() != null) {
      return trimmed;
    }
    return new File(trimmed).getAbsoluteFile().toPath().normalize().toString();
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String location(TableId t) {
    return root + "/" + t.layer() + "/" + t.table();
  }

  public boolean exists(TableId t) {
    return DeltaTable.isDeltaTable(spark, location(t));
  }

  public Dataset<Row> read(TableId t) {
    return spark.read().format("delta").load(location(t));
  }

  private final java.util.Map<TableId, Dataset<Row>> cached = new java.util.HashMap<>();

  /**
   * The current table, cached for a stage that reads it several times (every gold transform reads
   * silver); {@link #uncache()} releases it.
   */
  public synchronized Dataset<Row> readCached(TableId t) {
    return cached.computeIfAbsent(
        t, x -> read(x).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
  }

  public synchronized void uncache() {
    cached.values().forEach(Dataset::unpersist);
    cached.clear();
  }

  public Optional<Dataset<Row>> readIfExists(TableId t) {
    return exists(t) ? Optional.of(read(t)) : Optional.empty();
  }

  /**
   * Creates the table, when it does not exist yet, holding {@code df}'s rows in one commit (version
   * 0): its schema with the column comments of {@code doc}, the table comment and {@code
   * properties}. A table is never created empty first: that would be a second commit, and the first
   * write would then have to read the empty version back. False when the table exists (nothing
   * written).
   */
  private boolean createdWith(
      Dataset<Row> df, TableId t, TableDoc doc, java.util.Map<String, String> properties) {
    if (exists(t)) {
      return false;
    }
    var writer = documented(df, doc).writeTo(pathIdentifier(t)).using("delta");
    for (var p : properties.entrySet()) {
      writer = writer.tableProperty(p.getKey(), p.getValue());
    }
    if (doc != null && doc.comment() != null) {
      writer = writer.tableProperty("comment", doc.comment());
    }
    try {
      writer.create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // Another process created it since exists() said no (runs on one lake hold its lock, so a
      // writer outside the product): nothing was written; the rerun writes into the table.
      throw new IllegalStateException(
          t + " was created by another writer during this run; run again", e);
    }
    if (metastore) {
      register(t);
    }
    return true;
  }

  /** The table's path as a Delta identifier for SQL and the V2 writer: {@code delta.`/lake/…`}. */
  private String pathIdentifier(TableId t) {
    return "delta.`" + location(t).replace("`", "``") + "`";
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
    if (createdWith(df, t, doc, java.util.Map.of())) {
      return;
    }
    df.write().format("delta").mode("overwrite").save(location(t));
  }

  /**
   * Replaces the rows matching {@code predicate} with {@code df} in one commit. New columns in
   * {@code df} are added to the table (a bronze table grows a column when a file brings one).
   */
  public void replaceWhere(Dataset<Row> df, TableId t, String predicate, TableDoc doc) {
    if (createdWith(df, t, doc, java.util.Map.of())) {
      return;
    }
    df.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .option("mergeSchema", "true")
        .save(location(t));
  }

  /**
   * Replaces a small table's content and comment in one commit ({@code CREATE OR REPLACE TABLE … AS
   * SELECT}), recording {@code fingerprint} as a table property so an unchanged table is not
   * written again.
   */
  public void replaceTagged(Dataset<Row> df, TableId t, String comment, String fingerprint) {
    df.writeTo(pathIdentifier(t))
        .using("delta")
        .tableProperty("comment", comment)
        .tableProperty(FINGERPRINT, fingerprint)
        .createOrReplace();
    if (metastore) {
      register(t);
    }
  }

  static final String FINGERPRINT = "metalslake.fingerprint";

  /** The fingerprint property of a table written by {@link #replaceTagged}, or null. */
  public String fingerprint(TableId t) {
    return property(t, FINGERPRINT);
  }

  /** Appends {@code df} in one commit; new columns are added to the table. */
  public void append(Dataset<Row> df, TableId t, TableDoc doc) {
    if (createdWith(df, t, doc, java.util.Map.of())) {
      return;
    }
    df.write().format("delta").mode("append").option("mergeSchema", "true").save(location(t));
  }

  /**
   * Upserts {@code df} on the key columns (null-safe): a row with a known key replaces the stored
   * one when any value differs, a new key is inserted.
   */
  public void merge(Dataset<Row> df, TableId t, List<String> keys, TableDoc doc) {
    if (!exists(t)) {
      // First load: nothing to match against, a plain write is the same result and faster.
      overwrite(df, t, doc);
      return;
    }
    DeltaTable table = DeltaTable.forPath(spark, location(t));
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
    var builder = table.as("t").merge(df.as("s"), keyCondition(keys)).withSchemaEvolution();
    (changed.isEmpty() ? builder.whenMatched() : builder.whenMatched(changed))
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .execute();
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

  /** Fails with a clear message when the table is not in the lake. */
  public void requireExists(TableId t) {
    if (!exists(t)) {
      throw new IllegalArgumentException("no table " + t + " under " + root);
    }
  }

  static final String CHANGE_FEED = "delta.enableChangeDataFeed";

  /**
   * Makes the table hold exactly {@code df}, row by row on the key (null-safe): changed rows are
   * updated, new ones inserted, vanished ones deleted, unchanged ones left alone. The table has the
   * change data feed on, so consumers read just what changed ({@code table_changes}). A new schema
   * (a release that adds a column) replaces the table in one overwrite. Returns the rows the table
   * holds now.
   */
  public long sync(Dataset<Row> df, TableId t, List<String> keys, TableDoc doc) {
    if (createdWith(df, t, doc, java.util.Map.of(CHANGE_FEED, "true"))) {
      return lastCommitRows(t, "numOutputRows");
    }
    if (!"true".equals(property(t, CHANGE_FEED))) {
      // A lake written before the change feed was on: switch it on once (a new table is created
      // with it above).
      spark.sql(
          "ALTER TABLE "
              + pathIdentifier(t)
              + " SET TBLPROPERTIES ('"
              + CHANGE_FEED
              + "' = 'true')");
    }
    DeltaTable table = DeltaTable.forPath(spark, location(t));
    if (!sameColumns(table.toDF().schema(), df.schema())) {
      df.write()
          .format("delta")
          .mode("overwrite")
          .option("overwriteSchema", "true")
          .save(location(t));
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
   * A row count from the table's last commit metrics (the transaction log's commit info: no data is
   * read); -1 when the commit has no such metric.
   */
  private long lastCommitRows(TableId t, String metric) {
    List<Row> last =
        DeltaTable.forPath(spark, location(t))
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

  /** A table property, or null. */
  public String property(TableId t, String name) {
    if (!exists(t)) {
      return null;
    }
    List<Row> d =
        DeltaTable.forPath(spark, location(t)).detail().select("properties").collectAsList();
    if (d.isEmpty() || d.get(0).isNullAt(0)) {
      return null;
    }
    scala.collection.Map<String, String> props = d.get(0).getMap(0);
    return props.contains(name) ? props.apply(name) : null;
  }

  /** Registers every Delta table under the root in the session catalog (or the metastore). */
  public List<TableId> registerAll() {
    List<TableId> found = list();
    for (TableId t : found) {
      register(t);
    }
    return found;
  }

  /** What {@link #maintain} did to one table. */
  public record Maintenance(long filesCompacted, long filesWritten, long filesVacuumed) {}

  /**
   * Compacts the table's small files (OPTIMIZE) and deletes the files no version of the last {@code
   * retainHours} needs (VACUUM); the caller guards the retention.
   */
  public Maintenance maintain(TableId t, double retainHours) {
    DeltaTable table = DeltaTable.forPath(spark, location(t));
    Row metrics = table.optimize().executeCompaction().select("metrics.*").first();
    long removed = metrics.<Long>getAs("numFilesRemoved");
    long added = metrics.<Long>getAs("numFilesAdded");
    long before = dataFiles(t);
    String vacuum = "VACUUM " + pathIdentifier(t) + " RETAIN " + retainHours + " HOURS";
    // VACUUM prints "Deleted N files …" on the console: to stderr, so stdout keeps just the
    // command's own output (a CSV a script reads).
    scala.Console.withOut(System.err, () -> spark.sql(vacuum));
    return new Maintenance(removed, added, before - dataFiles(t));
  }

  /** Data files under a table's folder (the transaction log not counted). */
  private long dataFiles(TableId t) {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(location(t));
      org.apache.hadoop.fs.FileSystem fs =
          dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      var it = fs.listFiles(dir, true);
      long n = 0;
      while (it.hasNext()) {
        String p = it.next().getPath().toString();
        if (!p.contains("/_delta_log/") && p.endsWith(".parquet")) {
          n++;
        }
      }
      return n;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[0-9]+");
  private static final java.util.regex.Pattern TIMESTAMP =
      java.util.regex.Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?)?");

  /**
   * Checks a time-travel point: a table version ({@code 3}) or a timestamp ({@code 2026-11-29},
   * {@code 2026-11-29 10:15:00}).
   */
  public static String checkAsOf(String asOf) {
    String a = asOf.trim();
    if (!VERSION.matcher(a).matches() && !TIMESTAMP.matcher(a).matches()) {
      throw new IllegalArgumentException(
          "--as-of must be a table version (3) or a timestamp (2026-11-29 or 2026-11-29 10:15:00),"
              + " not '"
              + asOf
              + "'");
    }
    return a.replace('T', ' ');
  }

  /** The table as it was at a version or timestamp ({@link #checkAsOf}); now when null. */
  public Dataset<Row> readAsOf(TableId t, String asOf) {
    if (asOf == null) {
      return read(t);
    }
    String a = checkAsOf(asOf);
    return spark
        .read()
        .format("delta")
        .option(VERSION.matcher(a).matches() ? "versionAsOf" : "timestampAsOf", a)
        .load(location(t));
  }

  /**
   * The query with every lake table it names read as of a version or timestamp: {@code gold.x}
   * becomes {@code gold.x VERSION AS OF 3} (a version applies to each table named).
   */
  public static String queryAsOf(String query, String asOf) {
    if (asOf == null) {
      return query;
    }
    String a = checkAsOf(asOf);
    String clause =
        VERSION.matcher(a).matches() ? " VERSION AS OF " + a : " TIMESTAMP AS OF '" + a + "'";
    return NAME.matcher(query)
        .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group() + clause));
  }

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile(
          "(?i)\\b(bronze|silver|gold|ref|ops)\\s*\\.\\s*`?([a-z0-9_]+)`?");

  /**
   * Registers the tables a query names ({@code gold.production_growth}, …) that exist in the lake:
   * cheaper than registering every table when only a few are used.
   */
  public void registerReferenced(String query) {
    java.util.regex.Matcher m = NAME.matcher(query);
    java.util.Set<TableId> wanted = new java.util.LinkedHashSet<>();
    while (m.find()) {
      wanted.add(
          new TableId(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT)));
    }
    for (TableId t : wanted) {
      if (exists(t)) {
        register(t);
      }
    }
  }

  public void register(TableId t) {
    spark.sql(
        "CREATE DATABASE IF NOT EXISTS "
            + t.layer()
            + " LOCATION '"
            + escape(root + "/" + t.layer())
            + "'");
    // The catalog's own lookup: it reads the entry only, where spark.catalog().tableExists would
    // resolve the table and fail on an entry whose location is gone (a session that switched
    // lakes, as a notebook or a test does).
    org.apache.spark.sql.catalyst.catalog.SessionCatalog catalog =
        ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().catalog();
    org.apache.spark.sql.catalyst.TableIdentifier id =
        new org.apache.spark.sql.catalyst.TableIdentifier(t.table(), scala.Option.apply(t.layer()));
    if (catalog.tableExists(id)) {
      if (metastore) {
        return; // the shared metastore's entry is the cluster's business
      }
      if (sameLocation(registeredLocation(catalog, id), location(t))) {
        return;
      }
      // Path mode: the name points at another lake root registered earlier (a notebook or a test
      // switching lakes); point it at this lake. Dropped in the catalog directly: DROP TABLE would
      // resolve the old location first.
      catalog.dropTable(id, true, false);
      catalog.refreshTable(id);
    }
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + t.qualified()
            + " USING delta LOCATION '"
            + escape(location(t))
            + "'");
  }

  private static java.net.URI registeredLocation(
      org.apache.spark.sql.catalyst.catalog.SessionCatalog catalog,
      org.apache.spark.sql.catalyst.TableIdentifier id) {
    try {
      return catalog.getTableMetadata(id).location();
    } catch (Exception e) { // declared by the Scala signature; the entry was just found
      throw new IllegalStateException("cannot read the catalog entry of " + id, e);
    }
  }

  private boolean sameLocation(java.net.URI registered, String location) {
    Path wanted = new Path(location);
    FileSystem fs;
    try {
      fs = wanted.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fs.makeQualified(new Path(registered)).equals(fs.makeQualified(wanted));
  }

  public boolean usesMetastore() {
    return metastore;
  }

  /** Every Delta table under the root, sorted by layer and name. */
  public List<TableId> list() {
    List<TableId> out = new ArrayList<>();
    try {
      Path rootPath = new Path(root);
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      FileSystem fs = rootPath.getFileSystem(conf);
      if (!fs.exists(rootPath)) {
        return out;
      }
      for (FileStatus layer : fs.listStatus(rootPath)) {
        String layerName = layer.getPath().getName().toLowerCase(Locale.ROOT);
        if (!layer.isDirectory() || !layerName.matches("[a-z_]+")) {
          continue;
        }
        for (FileStatus table : fs.listStatus(layer.getPath())) {
          String tableName = table.getPath().getName();
          if (table.isDirectory()
              && tableName.matches("[a-z0-9_]+")
              && fs.exists(new Path(table.getPath(), "_delta_log"))) {
            out.add(new TableId(layerName, tableName));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the lake at " + root, e);
    }
    out.sort((a, b) -> a.qualified().compareTo(b.qualified()));
    return out;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
