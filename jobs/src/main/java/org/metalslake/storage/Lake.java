package org.metalslake.storage;

import io.delta.tables.DeltaTable;
import java.io.File;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;

/**
 * The lake: its root, the tables' locations ({@code <root>/<layer>/<table>}) and their reads. What
 * is done to the tables is split by concern: {@link #writes()} (one commit each), {@link
 * #catalog()} (names and registration), {@link #timeTravel()} (as of a version or time) and {@link
 * #maintenance()} (compaction and vacuum).
 */
public final class Lake {
  private final LazySession session;
  private final String root;
  private final TableWrites writes;
  private final Catalog catalog;
  private final TimeTravel timeTravel;
  private final Maintenance maintenance;
  private final LogReads log;
  private final LogAppends appends;

  public Lake(SparkSession spark, Settings settings) {
    this(LazySession.started(spark), settings);
  }

  /** A lake whose session starts when a read or write first needs it. */
  public Lake(LazySession session, Settings settings) {
    this(session, settings.lakeRoot(), settings.registerInMetastore(), settings.databasePrefix());
  }

  public Lake(SparkSession spark, String root, boolean metastore) {
    this(LazySession.started(spark), root, metastore, "");
  }

  private Lake(LazySession session, String root, boolean metastore, String databasePrefix) {
    this.session = session;
    this.root = normalise(root);
    this.writes = new TableWrites(this);
    this.catalog = new Catalog(this, metastore, databasePrefix);
    this.timeTravel = new TimeTravel(this);
    this.maintenance = new Maintenance(this);
    this.log = new LogReads(session);
    this.appends = new LogAppends(log);
  }

  LogReads log() {
    return log;
  }

  LogAppends appends() {
    return appends;
  }

  public TableWrites writes() {
    return writes;
  }

  public Catalog catalog() {
    return catalog;
  }

  public TimeTravel timeTravel() {
    return timeTravel;
  }

  public Maintenance maintenance() {
    return maintenance;
  }

  static String normalise(String root) {
    String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    if (hasScheme(trimmed)) {
      return trimmed;
    }
    return new File(trimmed).getAbsoluteFile().toPath().normalize().toString();
  }

  /** Whether a location names its file system ({@code s3a://…}, {@code file:/…}). */
  static boolean hasScheme(String location) {
    return URI.create(location.replace(" ", "%20")).getScheme() != null;
  }

  /** The session, started now if it was not yet. */
  public SparkSession spark() {
    return session.get();
  }

  /** The Hadoop configuration of the lake's file systems; does not start the session. */
  public org.apache.hadoop.conf.Configuration hadoopConf() {
    return session.hadoopConf();
  }

  public String root() {
    return root;
  }

  public String location(TableId t) {
    return root + "/" + t.layer() + "/" + t.table();
  }

  /**
   * Whether the table is in the lake. Delta's own check once the session runs: it caches each
   * table's log, so a long-lived session (tests, notebooks) asks cheaply again and again; before
   * that, the Delta log read in this process (no session started for it).
   */
  public boolean exists(TableId t) {
    if (!session.isStarted()) {
      return log.snapshot(location(t)).isPresent();
    }
    return DeltaTable.isDeltaTable(session.get(), location(t));
  }

  /**
   * Whether the table has a committed version, read from its log now (no cached snapshot): what a
   * writer checks after another process may have created the table.
   */
  boolean committed(TableId t) {
    return log.snapshot(location(t)).isPresent();
  }

  public Dataset<Row> read(TableId t) {
    return spark().read().format("delta").load(location(t));
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

  /** The table's path as a Delta identifier for SQL and the V2 writer: {@code delta.`/lake/…`}. */
  String pathIdentifier(TableId t) {
    return "delta.`" + location(t).replace("`", "``") + "`";
  }

  /** Fails with a clear message when the table is not in the lake. */
  public void requireExists(TableId t) {
    if (!exists(t)) {
      throw new IllegalArgumentException("no table " + t + " under " + root);
    }
  }

  /** A table property, or null (read from the table's log in this process, no Spark job). */
  public String property(TableId t, String name) {
    return log.properties(location(t)).get(name);
  }

  /**
   * The rows of a small bookkeeping table (such as {@code ops.ingested_files}), read in this
   * process without a Spark job: see {@link LogReads#rows}. Empty when the table does not exist.
   */
  public List<Object[]> smallTableRows(TableId t, List<String> columns) {
    return log.rows(location(t), columns);
  }

  /** The table property {@link TableWrites#replaceTagged} records its fingerprint in. */
  static final String FINGERPRINT = "metalslake.fingerprint";

  /** The fingerprint property of a table written by {@link TableWrites#replaceTagged}, or null. */
  public String fingerprint(TableId t) {
    return property(t, FINGERPRINT);
  }

  /** A SQL predicate {@code column IN ('a','b',…)}, the values quoted. */
  public static String inList(String column, List<String> values) {
    return column
        + " IN ("
        + values.stream()
            .map(v -> "'" + v.replace("'", "''") + "'")
            .collect(java.util.stream.Collectors.joining(","))
        + ")";
  }
}
