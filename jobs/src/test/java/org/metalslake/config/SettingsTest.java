package org.metalslake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration: embedded defaults, then a file, then --set overrides; clear errors. */
class SettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheEmbeddedMode() {
    Settings s = Settings.defaults();
    assertEquals("lake", s.lakeRoot());
    assertEquals("local[*]", s.sparkMaster());
    assertEquals("8", s.sparkConf().get("spark.sql.shuffle.partitions"));
    assertEquals(0.5, s.maxQuarantineShare());
  }

  @Test
  void aFileOverridesDefaultsAndSetOverridesTheFile() throws IOException {
    Path f = dir.resolve("my.conf");
    Files.writeString(
        f,
        "lake.root = \"/data/lake\"\n"
            + "ingest.max-quarantine-share = 0.1\n"
            + "spark.conf { \"spark.sql.shuffle.partitions\" = \"16\" }\n");
    Settings s = Settings.load(f.toFile(), Map.of("lake.root", "/other"));
    assertEquals("/other", s.lakeRoot());
    assertEquals(0.1, s.maxQuarantineShare());
    assertEquals("16", s.sparkConf().get("spark.sql.shuffle.partitions"));
    // untouched keys keep their defaults
    assertEquals("true", s.sparkConf().get("spark.sql.adaptive.enabled"));
  }

  @Test
  void invalidValuesAreOneClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ingest.max-quarantine-share", "2")));
    assertTrue(e.getMessage().contains("ingest.max-quarantine-share"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("lake.catalog", "hive-ish")));
    assertTrue(e.getMessage().contains("lake.catalog"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(dir.resolve("missing.conf").toFile(), Map.of()));
    assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
  }

  @Test
  void contentFactorsAndSourcePriorityComeFromConfiguration() {
    Settings s =
        Settings.load(
            null,
            Map.of(
                "trade.content-factors.\"260300\"", "0.3",
                "balance.source-priority", "[\"baci\", \"comtrade\"]"));
    assertEquals(Map.of("260300", 0.3), s.contentFactors());
    assertEquals(java.util.List.of("baci", "comtrade"), s.balanceSourcePriority());
    // The defaults: no factor overrides; USGS's own balance figures first.
    assertEquals(Map.of(), Settings.defaults().contentFactors());
    assertEquals("usgs_mcs_salient", Settings.defaults().balanceSourcePriority().get(0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("trade.content-factors.\"260300\"", "1.5")));
    assertTrue(e.getMessage().contains("trade.content-factors.260300"), e.getMessage());
  }

  @Test
  void quantityCeilings() {
    // Defaults: 1,000 Mt for every metal, no metal with its own.
    assertEquals(1.0e9, Settings.defaults().maxQuantityT(), 0.0);
    assertEquals(Map.of(), Settings.defaults().maxQuantityTByMetal());
    Settings s =
        Settings.load(
            null,
            Map.of(
                "ingest.max-quantity-t", "5e8",
                "ingest.max-quantity-t-by-metal.lithium", "1.0e8"));
    assertEquals(5.0e8, s.maxQuantityT(), 0.0);
    assertEquals(Map.of("lithium", 1.0e8), s.maxQuantityTByMetal());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ingest.max-quantity-t", "0")));
    assertTrue(e.getMessage().contains("ingest.max-quantity-t"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("ingest.max-quantity-t-by-metal.LI", "lots")));
    assertTrue(e.getMessage().contains("ingest.max-quantity-t-by-metal.LI"), e.getMessage());
  }

  @Test
  void capacitySettings() {
    // Defaults: no capacity priority (plant-level first), overcapacity above capacity = demand.
    assertEquals(java.util.List.of(), Settings.defaults().capacitySourcePriority());
    assertEquals(1.0, Settings.defaults().overcapacityThreshold(), 0.0);
    Settings s =
        Settings.load(
            null,
            Map.of(
                "capacity.source-priority", "usgs-mcs, my-plants",
                "capacity.overcapacity-threshold", "1.2"));
    assertEquals(java.util.List.of("usgs-mcs", "my-plants"), s.capacitySourcePriority());
    assertEquals(1.2, s.overcapacityThreshold(), 0.0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Settings.load(null, Map.of("capacity.overcapacity-threshold", "0")));
    assertTrue(e.getMessage().contains("capacity.overcapacity-threshold"), e.getMessage());
    // The example configuration repeats the defaults.
    Settings local =
        Settings.load(
            new java.io.File(org.metalslake.testing.SparkTest.projectDir(), "conf/local.conf"),
            Map.of());
    assertEquals(java.util.List.of(), local.capacitySourcePriority());
    assertEquals(1.0, local.overcapacityThreshold(), 0.0);
  }
}
