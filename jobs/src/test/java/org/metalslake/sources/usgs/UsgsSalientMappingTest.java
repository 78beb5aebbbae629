package org.metalslake.sources.usgs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.pipeline.Pipeline;
import org.metalslake.ref.RefData;
import org.metalslake.sources.SourceFormat;
import org.metalslake.testing.SparkTest;

/**
 * One salient column mapping for every release: columns matched by meaning; a column no rule reads
 * (salient or world) is told with its file.
 */
class UsgsSalientMappingTest extends SparkTest {
  @TempDir Path dir;

  @Test
  void releasesSpellingsOfOneMeasureMeanTheSame() {
    // Spellings of the same measure in MCS2022, MCS2024 and MCS2025 (docs/usgs-releases.md 1.2).
    assertEquals(
        SalientColumn.of("USprod_Refinery-primary_kt"),
        SalientColumn.of("USprod_Refinery_Primary_kt"));
    assertEquals(SalientColumn.of("NIR_Refined_pct"), SalientColumn.of("NIR_Refinedpct"));
    assertEquals("nir", SalientColumn.of("NIR_ct").meaning());
    assertEquals("nir", SalientColumn.of("NIR_pct").meaning());
    assertEquals("consump", SalientColumn.of("Consump_").meaning());
    assertEquals("consump", SalientColumn.of("Consump_t").meaning());
    assertEquals(null, SalientColumn.of("Consump_").unit());
    assertEquals("case statement error", SalientColumn.of("CASE STATEMENT ERRORkt").meaning());
    assertEquals(1000.0, SalientColumn.of("Imports_Refined_kt").factor());
    assertEquals(0.001, SalientColumn.of("Prod_kg").factor());
    assertEquals(null, SalientColumn.of("Price_LME_ctslb").factor());
  }

  private List<String> warnings(String... folders) {
    List<String> paths = new ArrayList<>();
    for (String f : folders) {
      paths.add(new File(f).isAbsolute() ? f : new File(projectDir(), f).getPath());
    }
    RefData ref = RefData.load(spark(), "");
    Pipeline.Conformed read = Pipeline.conformFiles(spark(), testSettings(Map.of()), paths, ref);
    List<String> out = new ArrayList<>();
    for (Map.Entry<SourceFormat, Dataset<Row>> e : read.bronze().entrySet()) {
      out.addAll(e.getKey().warnings(e.getValue(), ref));
    }
    return out;
  }

  @Test
  void aColumnTheMappingDoesNotKnowIsToldWithItsFile() throws IOException {
    // Synthetic: a copper salient file in the MCS2025 layout with one column no release has.
    Path f = dir.resolve("synthetic-mcs2099-coppe_salient.csv");
    Files.writeString(
        f,
        "DataSource,Commodity,Year,USprod_Mine_kt,Imports_Refined_kt,Mystery_Figure_kt,NIR_pct\n"
            + "MCS2099,Copper,2098,1100,810,12,45\n",
        StandardCharsets.UTF_8);
    List<String> w = warnings(dir.toString());
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).contains("synthetic-mcs2099-coppe_salient.csv"), w.get(0));
    assertTrue(w.get(0).contains("mystery_figure_kt"), w.get(0));
  }

  @Test
  void aWorldColumnNoRuleReadsIsToldAndTheRealWorldFilesHaveNone() throws IOException {
    // Synthetic: an MCS2024-style world table with one column no release has.
    Path f = dir.resolve("synthetic-mcs2099-coppe_world.csv");
    Files.writeString(
        f,
        "Source,Country,Type,Prod_kt_2097,Prod_kt_est_2098,Smelter_count,Reserves_kt\n"
            + "MCS2099,Chile,\"Mine production, recoverable copper content\",5000,5100,7,190000\n",
        StandardCharsets.UTF_8);
    List<String> w = warnings(dir.toString());
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).contains("synthetic-mcs2099-coppe_world.csv"), w.get(0));
    assertTrue(w.get(0).contains("'smelter_count'"), w.get(0));
    assertEquals(
        List.of(),
        warnings(
            "jobs/src/test/resources/real/usgs/mcs2022/world",
            "jobs/src/test/resources/real/usgs/mcs2024/world",
            "data/samples/production/MCS2025_World_Data.csv"));
  }

  @Test
  void everyColumnOfTheSevenMetalsInEveryReleaseIsMapped() {
    List<String> w =
        warnings(
            "jobs/src/test/resources/real/usgs/mcs2022/salient",
            "jobs/src/test/resources/real/usgs/mcs2024/salient",
            "data/samples/trade/usgs-salient");
    List<String> seven =
        w.stream()
            .filter(s -> s.matches(".*-(coppe|alumi?|cobal|zinc|lead|tin|nicke)_salient.*"))
            .toList();
    assertEquals(List.of(), seven);
  }
}
