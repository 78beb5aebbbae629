package org.metalslake.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lake's tables by name: listed from the storage, and registered in the session catalog (or a
 * shared metastore) so every command and notebook can use {@code gold.x} in SQL.
 */
public final class Catalog {
  private final Lake lake;
  private final boolean metastore;
  private final String prefix;

  Catalog(Lake lake, boolean metastore, String databasePrefix) {
    this.lake = lake;
    this.metastore = metastore;
    this.prefix = metastore ? databasePrefix : "";
  }

  /**
   * The database a table is registered in: its layer, after the configured prefix in a metastore
   * ({@code lake.database-prefix}); the session's own catalog of path mode is the process's alone.
   */
  public String database(TableId t) {
    return prefix + t.layer();
  }

  /** Registers a table just created when the lake uses a metastore (path mode needs none). */
  void registerInMetastore(TableId t) {
    if (metastore) {
      register(t);
    }
  }

  /** Registers every Delta table under the root in the session catalog (or the metastore). */
  public List<TableId> registerAll() {
    List<TableId> found = list();
    for (TableId t : found) {
      register(t);
    }
    return found;
  }

  /**
   * Registers the tables a query names ({@code gold.production_growth}, …) that exist in the lake:
   * cheaper than registering every table when only a few are used.
   */
  public void registerReferenced(String query) {
    java.util.regex.Matcher m = TableId.NAMED.matcher(query);
    java.util.Set<TableId> wanted = new java.util.LinkedHashSet<>();
    while (m.find()) {
      wanted.add(
          new TableId(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT)));
    }
    for (TableId t : wanted) {
      if (lake.exists(t)) {
        register(t);
      }
    }
  }

  public void register(TableId t) {
    lake.spark()
        .sql(
            "CREATE DATABASE IF NOT EXISTS "
                + database(t)
                + " LOCATION '"
                + escape(lake.root() + "/" + t.layer())
                + "'");
    // The catalog's own lookup: it reads the entry only, where spark.catalog().tableExists would
    // resolve the table and fail on an entry whose location is gone (a session that switched
    // lakes, as a notebook or a test does).
    org.apache.spark.sql.catalyst.catalog.SessionCatalog catalog =
        ((org.apache.spark.sql.classic.SparkSession) lake.spark()).sessionState().catalog();
    org.apache.spark.sql.catalyst.TableIdentifier id =
        new org.apache.spark.sql.catalyst.TableIdentifier(
            t.table(), scala.Option.apply(database(t)));
    if (catalog.tableExists(id)) {
      if (metastore) {
        return; // the shared metastore's entry is the cluster's business
      }
      if (sameLocation(registeredLocation(catalog, id), lake.location(t))) {
        return;
      }
      // Path mode: the name points at another lake root registered earlier (a notebook or a test
      // switching lakes); point it at this lake. Dropped in the catalog directly: DROP TABLE would
      // resolve the old location first.
      catalog.dropTable(id, true, false);
      catalog.refreshTable(id);
    }
    lake.spark()
        .sql(
            "CREATE TABLE IF NOT EXISTS "
                + database(t)
                + "."
                + t.table()
                + " USING delta LOCATION '"
                + escape(lake.location(t))
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
      fs = wanted.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
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
      Path rootPath = new Path(lake.root());
      Configuration conf = lake.spark().sparkContext().hadoopConfiguration();
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
      throw new UncheckedIOException("cannot list the lake at " + lake.root(), e);
    }
    out.sort((a, b) -> a.qualified().compareTo(b.qualified()));
    return out;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
