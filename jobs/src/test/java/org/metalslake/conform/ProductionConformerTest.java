package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import de.siegmar.fastcsv.reader.CsvReader;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metalslake.ingest.Bronze;
import org.metalslake.ref.RefData;
import org.metalslake.sources.generic.GenericProductionFormat;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;

/**
 * Generic production records (bronze) → silver facts or quarantine reasons (SPEC §5 Bad input),
 * through {@link GenericProductionFormat#conform}, with the bundled reference data.
 */
class ProductionConformerTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final List<String> HEADER =
      List.of(
          "period",
          "country",
          "region",
          "metal",
          "stage",
          "quantity",
          "unit",
          "basis",
          "source",
          "flag");

  private static RefData ref;

  @BeforeAll
  static void loadRef() {
    ref = RefData.load(spark(), "");
  }

  private static final GenericProductionFormat FORMAT = new GenericProductionFormat();

  /**
   * One bronze row as {@link Bronze#read} makes it: lineage, then the CSV line's fields in the
   * format's columns (empty → null), its field count and the header's.
   */
  static Row bronze(long line, String csv) {
    List<String> fields = CsvReader.builder().ofSingleCsvRecord(csv).getFields();
    List<String> columns = FORMAT.columns();
    Object[] v = new Object[Bronze.LINEAGE.fields().length + columns.size()];
    v[0] = "b1";
    v[1] = "file-1";
    v[2] = "file:/landing/production/test.csv";
    v[3] = line;
    v[4] = "generic-production";
    v[5] = new Timestamp(0);
    v[6] = fields.size();
    v[7] = HEADER.size();
    v[8] = null;
    for (int i = 0; i < HEADER.size() && i < fields.size(); i++) {
      String f = fields.get(i);
      v[Bronze.LINEAGE.fields().length + columns.indexOf(HEADER.get(i))] = f.isEmpty() ? null : f;
    }
    return RowFactory.create(v);
  }

  static Dataset<Row> conform(Row... bronzeRows) {
    Dataset<Row> bronze =
        spark().createDataFrame(List.of(bronzeRows), Bronze.schema(FORMAT.columns()));
    return FORMAT.conform(bronze, ref).get(Tables.PRODUCTION);
  }

  @Test
  void convertsUnitsAndMatchesNamesCaseInsensitively() {
    Dataset<Row> out =
        conform(
            bronze(2, "2024,China,,Cu,refined,1.5,kt,,nbs,"),
            bronze(3, "2024,Congo (Kinshasa),,copper,Mine,2,10kt,,,"),
            bronze(4, "2024,\"Korea, Republic of\",,Copper,refinery,1000,lb,,,"),
            bronze(5, "2024-03,CHN,,COPPER,REFINERY,250,t,metal content,,"),
            bronze(6, "2024-Q2,chn,Yunnan,al,primary,0.5,Mt,gross,,e"),
            bronze(7, "2024-01/02,USA,,Zn,refinery,1\u00A0234,tonnes,,,"),
            bronze(8, "2024,PER,,CU,mine,\u22125,t,,,"));
    assertRows(
        List.of(
            // 1.5 kt * 1000 = 1500 t
            row(2L, "CHN", "CU", "refinery", "2024", "A", 12, 1500.0, "kt", null),
            // 2 * 10 000 = 20 000 t (万吨)
            row(3L, "COD", "CU", "mine", "2024", "A", 12, 20000.0, "10kt", null),
            // 1000 lb * 0.00045359237 = 0.45359237 t
            row(4L, "KOR", "CU", "refinery", "2024", "A", 12, 0.45359237, "lb", null),
            row(5L, "CHN", "CU", "refinery", "2024-03", "M", 1, 250.0, "t", null),
            // 0.5 Mt * 1 000 000 = 500 000 t
            row(6L, "CHN", "AL", "primary", "2024-Q2", "Q", 3, 500000.0, "Mt", null),
            // January-February combined: period month 2 covering 2 months; "1 234" → 1234
            row(7L, "USA", "ZN", "refinery", "2024-02", "M", 2, 1234.0, "t", null)),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "country_iso3",
            "metal",
            "stage",
            "period",
            "freq",
            "months_covered",
            "quantity_t",
            "unit_reported",
            "_severity"),
        TOL);
    assertRows(
        List.of(
            row(2L, "metal_content", "nbs", 2024, null, null, null),
            row(3L, "metal_content", "unspecified", 2024, null, null, null),
            row(4L, "metal_content", "unspecified", 2024, null, null, null),
            row(5L, "metal_content", "unspecified", 2024, 3, null, null),
            row(6L, "gross", "unspecified", 2024, null, 2, "e"),
            row(7L, "metal_content", "unspecified", 2024, 2, null, null)),
        rows(
            out.filter(col("_reason").isNull()),
            "_line",
            "basis",
            "source",
            "year",
            "month",
            "quarter",
            "flags"),
        TOL);
    // The U+2212 minus is a minus: -5 is negative, not unparseable.
    assertRows(
        List.<Object[]>of(row(8L, "negative quantity", "error")),
        rows(out.filter(col("_line").equalTo(8)), "_line", "_reason", "_severity"),
        TOL);
  }

  @Test
  void everyBadRowGetsItsReason() {
    Dataset<Row> out =
        conform(
            bronze(2, "2024,Atlantis,,CU,mine,10,t,,,"),
            bronze(3, "2024,CHN,,Unobtainium,mine,10,t,,,"),
            bronze(4, "2024-13,CHN,,CU,mine,10,t,,,"),
            bronze(5, "2024,CHN,,CU,mine,-5,t,,,"),
            bronze(6, "2024,CHN,,CU,mine,12x,t,,,"),
            bronze(7, "2024,CHN,,CU,mine,10,furlongs,,,"),
            // a quantity of blanks is missing (an empty one: see missingQuantityIsQuarantined)
            bronze(8, "2024,CHN,,CU,mine,  ,t,,,"),
            // one field too many: 11 fields against a 10-column header
            bronze(9, "2024,CHN,,CU,mine,10,t,,,,surplus"),
            // three fields missing: 7 fields
            bronze(10, "2024,CHN,,CU,mine,10,t"),
            // withheld: no number, flag W → a fact with a null quantity, not an error
            bronze(11, "2024,PER,,CU,mine,,t,,,W"),
            // a good row among the bad ones
            bronze(12, "2024,CHL,,CU,mine,10,t,,,"));
    assertEquals(11, out.count(), "every record yields exactly one row");
    assertRows(
        List.of(
            row(2L, "unknown country 'Atlantis'", "error"),
            row(3L, "unknown metal 'Unobtainium'", "error"),
            row(4L, "impossible period '2024-13'", "error"),
            row(5L, "negative quantity", "error"),
            row(6L, "unparseable number '12x'", "error"),
            row(7L, "unknown unit 'furlongs'", "error"),
            row(8L, "missing quantity (give a number, or flag W when withheld)", "error"),
            row(9L, "malformed CSV line: 11 fields where the header has 10", "error"),
            row(10L, "malformed CSV line: 7 fields where the header has 10", "error"),
            row(11L, null, null),
            row(12L, null, null)),
        rows(out, "_line", "_reason", "_severity"),
        TOL);
    assertRows(
        List.of(row(11L, "PER", null, "W"), row(12L, "CHL", 10.0, null)),
        rows(out.filter(col("_reason").isNull()), "_line", "country_iso3", "quantity_t", "flags"),
        TOL);
  }

  @Test
  void missingQuantityIsQuarantined() {
    // An empty field reaches bronze as null (Bronze.read: "null when empty"). With no number,
    // no year-to-date value and no W it is a bad record, not a fact with a null quantity.
    Dataset<Row> out =
        conform(bronze(2, "2024,CHN,,CU,mine,,t,,,"), bronze(3, "2024-03,PER,,CU,mine,,t,,,e"));
    assertRows(
        List.of(
            row(2L, "missing quantity (give a number, or flag W when withheld)", "error"),
            row(3L, "missing quantity (give a number, or flag W when withheld)", "error")),
        rows(out, "_line", "_reason", "_severity"),
        TOL);
  }

  @Test
  void withheldValueIsFlaggedW() {
    Dataset<Row> out =
        conform(
            // W written as the value, no flag column: withheld → no quantity, flag W
            bronze(2, "2024,CHN,,CU,mine,W,t,,,"),
            bronze(3, "2024,PER,,CU,mine,w,t,,,"),
            // W given as the flag, value empty
            bronze(4, "2024,CHL,,CU,mine,,t,,,W"));
    assertRows(
        List.of(row(2L, null, "W", null), row(3L, null, "W", null), row(4L, null, "W", null)),
        rows(out, "_line", "quantity_t", "flags", "_reason"),
        TOL);
  }

  @Test
  void duplicatesInOneFile() {
    Dataset<Row> facts =
        conform(
            bronze(2, "2024,CHN,,CU,mine,100,t,,,"),
            // same fact again (spelled differently, same meaning)
            bronze(3, "2024,China,,copper,mine,100,t,,,"),
            bronze(4, "2024,PER,,CU,mine,50,t,,,"),
            // same key as line 4, another figure
            bronze(5, "2024,PER,,CU,mine,60,t,,,"),
            bronze(6, "2024,CHL,,CU,mine,70,t,,,"),
            // another period: a different key
            bronze(7, "2023,CHL,,CU,mine,70,t,,,"));
    Dataset<Row> out = Duplicates.flag(facts, ProductionConformer.KEY);
    assertRows(
        List.of(
            row(2L, null, null),
            row(3L, "exact duplicate of line 2", "error"),
            row(4L, "duplicate key with conflicting values (lines 4, 5)", "error"),
            row(5L, "duplicate key with conflicting values (lines 4, 5)", "error"),
            row(6L, null, null),
            row(7L, null, null)),
        rows(out, "_line", "_reason", "_severity"),
        TOL);
  }

  @Test
  void badRowsAreNotDuplicatesOfGoodOnes() {
    Dataset<Row> facts =
        conform(
            bronze(2, "2024,CHN,,CU,mine,100,t,,,"),
            // same key as line 2 but an unparseable number: its own reason, and line 2 stays good
            bronze(3, "2024,CHN,,CU,mine,abc,t,,,"));
    Dataset<Row> out = Duplicates.flag(facts, ProductionConformer.KEY);
    List<Object[]> expected = new ArrayList<>();
    expected.add(row(2L, null));
    expected.add(row(3L, "unparseable number 'abc'"));
    assertRows(expected, rows(out, "_line", "_reason"), TOL);
  }
}
