package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

/** Composite group output (SPEC §6 Growth, gold.group_output) on a two-member group. */
class GroupOutputTest extends SparkTest {
  private static final double TOL = 1e-9;

  static final String GROUPS_DDL =
      "group_code STRING, group_name STRING, metal STRING, stage STRING";

  /** A tiny group: refined copper and primary aluminium. */
  static Dataset<Row> groups() {
    return df(
        GROUPS_DDL,
        row("two", "Two metals", "CU", "refinery"),
        row("two", "Two metals", "AL", "primary"));
  }

  static Object[] month(String metal, String stage, int year, int month, int mc, double qty) {
    return row(
        metal,
        stage,
        "CHN",
        null,
        "metal_content",
        "bureau",
        "M",
        year,
        month,
        null,
        mc,
        qty,
        null,
        null,
        null,
        null);
  }

  @Test
  void sumsMembersAndComparesOnlyWithTheSameMembers() {
    Dataset<Row> silver =
        df(
            GrowthTest.SILVER_DDL,
            month("CU", "refinery", 2024, 3, 1, 100.0),
            month("AL", "primary", 2024, 3, 1, 300.0),
            month("CU", "refinery", 2025, 3, 1, 110.0),
            month("AL", "primary", 2025, 3, 1, 330.0),
            // April 2024: aluminium not reported
            month("CU", "refinery", 2024, 4, 1, 100.0),
            month("CU", "refinery", 2025, 4, 1, 105.0),
            month("AL", "primary", 2025, 4, 1, 320.0),
            // not members: copper at the mine stage, and lead
            month("CU", "mine", 2024, 3, 1, 999.0),
            month("CU", "mine", 2025, 3, 1, 999.0),
            month("PB", "refinery", 2025, 3, 1, 999.0));
    Dataset<Row> out = GroupOutput.compute(silver, groups());
    assertRows(
        List.of(
            // 100 + 300 = 400
            row("two", "Two metals", "2024-03", 400.0, null, null, "AL,CU", 2, 2),
            // 110 + 330 = 440; (440 / 400 - 1) * 100 = 10.0
            row("two", "Two metals", "2025-03", 440.0, 400.0, 10.0, "AL,CU", 2, 2),
            // only copper reported: 100, one member of two
            row("two", "Two metals", "2024-04", 100.0, null, null, "CU", 1, 2),
            // 105 + 320 = 425; prior year had other members → no prior value, no YoY
            // (425 against 100 would read as +325 %)
            row("two", "Two metals", "2025-04", 425.0, null, null, "AL,CU", 2, 2)),
        rows(
            out,
            "group_code",
            "group_name",
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "members",
            "members_reported",
            "members_expected"),
        TOL);
  }

  @Test
  void groupYtdAndYtdYoyWithCombinedJanuaryFebruary() {
    Dataset<Row> silver =
        df(
            GrowthTest.SILVER_DDL,
            month("CU", "refinery", 2024, 2, 2, 20.0),
            month("AL", "primary", 2024, 2, 2, 60.0),
            month("CU", "refinery", 2024, 3, 1, 10.0),
            month("AL", "primary", 2024, 3, 1, 30.0),
            month("CU", "refinery", 2025, 2, 2, 22.0),
            month("AL", "primary", 2025, 2, 2, 66.0),
            month("CU", "refinery", 2025, 3, 1, 11.0),
            month("AL", "primary", 2025, 3, 1, 33.0));
    Dataset<Row> out = GroupOutput.compute(silver, groups());
    assertRows(
        List.of(
            // Jan-Feb 20 + 60 = 80; YTD 80
            row("2024-02", 2, 80.0, 80.0, null, null),
            // Mar 10 + 30 = 40; YTD 80 + 40 = 120
            row("2024-03", 1, 40.0, 120.0, null, null),
            // Jan-Feb 22 + 66 = 88, (88 / 80 - 1) * 100 = 10.0; YTD 88 against 80 → 10.0
            row("2025-02", 2, 88.0, 88.0, 10.0, 10.0),
            // Mar 11 + 33 = 44, (44 / 40 - 1) * 100 = 10.0;
            // YTD 88 + 44 = 132 against 120: (132 / 120 - 1) * 100 = 10.0
            row("2025-03", 1, 44.0, 132.0, 10.0, 10.0)),
        rows(
            out.filter(col("freq").equalTo("M")),
            "period",
            "months_covered",
            "value_t",
            "ytd_t",
            "yoy_pct",
            "ytd_yoy_pct"),
        TOL);
  }
}
