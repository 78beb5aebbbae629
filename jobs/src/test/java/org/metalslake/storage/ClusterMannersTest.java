package org.metalslake.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.testing.SparkTest;

/**
 * A job on someone else's cluster: Delta joins the cluster's SQL extensions and keeps its session
 * catalog instead of replacing them, and a shared metastore gets this lake's databases under a
 * prefix of its own.
 */
class ClusterMannersTest extends SparkTest {
  @Test
  void deltaIsAddedToTheClustersExtensionsAndItsCatalogIsKept() {
    SparkConf bare = new SparkConf(false);
    Sessions.withDelta(bare);
    assertEquals(Sessions.DELTA_EXTENSION, bare.get("spark.sql.extensions"));
    assertEquals(Sessions.DELTA_CATALOG, bare.get(Sessions.SESSION_CATALOG));

    SparkConf cluster =
        new SparkConf(false)
            .set("spark.sql.extensions", "com.example.SecurityExtension, com.example.Lineage")
            .set(Sessions.SESSION_CATALOG, "com.example.SessionCatalog");
    Sessions.withDelta(cluster);
    assertEquals(
        "com.example.SecurityExtension,com.example.Lineage," + Sessions.DELTA_EXTENSION,
        cluster.get("spark.sql.extensions"));
    assertEquals("com.example.SessionCatalog", cluster.get(Sessions.SESSION_CATALOG));

    SparkConf already =
        new SparkConf(false).set("spark.sql.extensions", Sessions.DELTA_EXTENSION + ",x.Y");
    Sessions.withDelta(already);
    assertEquals(Sessions.DELTA_EXTENSION + ",x.Y", already.get("spark.sql.extensions"));
  }

  @Test
  void aSharedMetastoreGetsTheLakesDatabasesUnderItsPrefix(@TempDir Path dir) {
    String root = dir.resolve("lake").toString();
    Settings shared =
        Settings.load(
            null,
            Map.of(
                Settings.LAKE_ROOT,
                root,
                Settings.LAKE_CATALOG,
                "metastore",
                Settings.DATABASE_PREFIX,
                "metals_"));
    Lake lake = new Lake(spark(), shared);
    TableId t = new TableId(TableId.GOLD, "manners");
    spark().range(3).write().format("delta").save(lake.location(t));
    assertEquals("metals_gold", lake.catalog().database(t));
    lake.catalog().register(t);
    assertTrue(spark().catalog().tableExists("metals_gold.manners"));
    assertEquals(3, spark().table("metals_gold.manners").count());

    Settings path =
        Settings.load(null, Map.of(Settings.LAKE_ROOT, root, Settings.DATABASE_PREFIX, "metals_"));
    assertEquals("gold", new Lake(spark(), path).catalog().database(t), "path mode: no prefix");
    spark().sql("DROP TABLE metals_gold.manners");
  }
}
