package org.metalslake.testing;

/**
 * silver.trade_flows rows for gold tests: the columns the trade aggregates read, in the types
 * TradeConformer writes them.
 */
public final class TradeFlows {
  private TradeFlows() {}

  public static final String DDL =
      "source STRING, reporter_iso3 STRING, partner_iso3 STRING, partner_kind STRING,"
          + " flow STRING, commodity_code STRING, metal STRING, stage STRING, basis STRING,"
          + " period STRING, freq STRING, year INT, quarter INT, month INT, months_covered INT,"
          + " gross_t DOUBLE, content_factor DOUBLE, metal_content_t DOUBLE, value_usd DOUBLE,"
          + " weight_missing BOOLEAN";

  /** The kind of a partner code: WLD world, XOC other, else a country. */
  static String kind(String partner) {
    return switch (partner) {
      case "WLD" -> "world";
      case "XOC" -> "other";
      default -> "country";
    };
  }

  /**
   * A gross-weight flow of an HS code with content factor {@code factor}: {@code metalT} tonnes of
   * metal content, {@code metalT / factor} tonnes gross. {@code month} null for an annual row.
   */
  public static Object[] flow(
      String source,
      String reporter,
      String partner,
      String flow,
      String code,
      String metal,
      String stage,
      double factor,
      int year,
      Integer month,
      Double metalT,
      Double usd) {
    boolean annual = month == null;
    return new Object[] {
      source,
      reporter,
      partner,
      kind(partner),
      flow,
      code,
      metal,
      stage,
      "gross",
      annual ? Integer.toString(year) : String.format("%04d-%02d", year, month),
      annual ? "A" : "M",
      year,
      null,
      month,
      annual ? 12 : 1,
      metalT == null ? null : metalT / factor,
      factor,
      metalT,
      usd,
      metalT == null
    };
  }
}
