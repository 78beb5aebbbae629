package org.metalslake.gold;

import org.metalslake.storage.TableDoc;

/** Column comments shared by the growth tables. */
final class GoldDocs {
  private GoldDocs() {}

  static TableDoc growth(TableDoc doc) {
    return doc.column("freq", "M monthly, Q quarterly, A annual")
        .column("year", "Calendar year")
        .column("month", "Month 1-12; null for quarterly and annual rows")
        .column("quarter", "Quarter 1-4 for quarterly rows")
        .column("period", "YYYY-MM, YYYY-Qn or YYYY")
        .column("months_covered", "Months in the value: 2 for January-February combined, 12 annual")
        .column("value_t", "Value for the period, metric tonnes")
        .column("prev_value_t", "Value for the same period a year earlier, metric tonnes")
        .column("yoy_pct", "(value_t / prev_value_t - 1) * 100; null if the prior is missing or 0")
        .column("ytd_t", "Year-to-date cumulative through this month, metric tonnes")
        .column("prev_ytd_t", "Year-to-date a year earlier, metric tonnes")
        .column("ytd_yoy_pct", "(ytd_t / prev_ytd_t - 1) * 100; null if the prior is missing or 0")
        .column(
            "value_method",
            "reported; from_ytd (difference of cumulative values); sum_of_months (annual)");
  }
}
