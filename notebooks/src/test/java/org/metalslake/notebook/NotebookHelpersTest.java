package org.metalslake.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.metalslake.config.Settings;

/** The notebook helpers that need no session: periods, HTML, settings from the environment. */
class NotebookHelpersTest {
  @Test
  void periodsBecomeTheFirstDayOfTheirPeriod() {
    assertEquals("2025-01-01", day(Charts.date("2025")));
    assertEquals("2025-04-01", day(Charts.date("2025-04")));
    assertEquals("2025-04-01", day(Charts.date("2025-Q2")));
    assertEquals("2025-10-01", day(Charts.date("2025-Q4")));
    assertEquals("2025-02-21", day(Charts.date(java.sql.Date.valueOf("2025-02-21"))));
  }

  private static String day(java.util.Date d) {
    return d.toInstant().atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  @Test
  void chartsRefuseMissingTitles() {
    assertThrows(IllegalArgumentException.class, () -> Charts.required(" ", "title"));
    assertEquals("Copper", Charts.required("Copper", "title"));
  }

  @Test
  void htmlEscapesTextAndFormatsNumbers() {
    StructType schema = StructType.fromDDL("source STRING, year INT, value_t DOUBLE, n BIGINT");
    String html =
        Html.table(
            schema,
            List.of(
                RowFactory.create("<b>&co</b>", 2024, 1234567.891, 12345L),
                RowFactory.create(null, 2025, 5.0, null)));
    assertTrue(html.contains("<td>&lt;b&gt;&amp;co&lt;/b&gt;</td>"), html);
    // A year is not a quantity: no thousands separator.
    assertTrue(html.contains(">2024</td>"), html);
    assertTrue(html.contains(">1,234,567.89</td>"), html);
    assertTrue(html.contains(">12,345</td>"), html);
    assertTrue(html.contains("<td></td>"), html);
    assertTrue(html.contains(">5</td>"), html);
    assertEquals(3, html.split("<tr>").length - 1, "header and two rows");
  }

  @Test
  void theLakeComesFromTheEnvironment() {
    Settings s = Notebook.settings(Map.of("METALS_LAKE_ROOT", "s3a://bucket/lake"));
    assertEquals("s3a://bucket/lake", s.lakeRoot());
    assertEquals("local[2]", s.sparkMaster());
    assertEquals("4", s.sparkConf().get("spark.sql.shuffle.partitions"));
    assertEquals("false", s.sparkConf().get("spark.ui.enabled"));

    // Without one: the project's own ./lake, wherever the notebook runs from.
    Settings d = Notebook.settings(Map.of());
    assertTrue(d.lakeRoot().endsWith("/lake"), d.lakeRoot());
    assertTrue(
        new java.io.File(d.lakeRoot())
            .getParentFile()
            .toPath()
            .resolve("bin/metals-lake")
            .toFile()
            .isFile(),
        d.lakeRoot());
  }
}
