package org.metalslake.sources.comtrade;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.conform.TradeConformer;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * UN Comtrade in every shape users have: the API and website CSV (camelCase headers), Comtrade+
 * exports (PascalCase, annual rows with {@code FreqCode A} and {@code RefMonth 52}) and the bulk
 * files UN's own downloader writes (tab-separated, gzip, codes only, named like {@code
 * COMTRADE-FINAL-CA156202301H6[2024-05-01].gz}). Headers are matched by key, so the three are one
 * format with one bronze table. Rules that keep flows from being counted twice or read wrongly:
 *
 * <ul>
 *   <li>Only total rows are facts: {@code motCode} 0 (all modes of transport), {@code customsCode}
 *       C00 (all procedures) and {@code partner2Code} 0 (all second partners). Breakdown rows
 *       repeat parts of a total and are skipped with their reason.
 *   <li>A row above the most detailed code ({@code isLeaf} false, e.g. heading 2603 in a download
 *       at 4 digits) is a fact at its own code; gold never adds it to its subcodes when both are in
 *       the lake (see {@code gold.TradeTotals}).
 *   <li>{@code netWgt} is in kilograms; when it is empty, {@code qty} is used if its unit is kg
 *       ({@code qtyUnitCode} 8) and positive. An empty {@code netWgt} with {@code qty} 0, and a
 *       {@code netWgt} of 0 beside a positive trade value, are a missing weight, not zero tonnes.
 *   <li>Flags are {@code 0/1}, {@code TRUE/FALSE} or {@code True/False}; the estimation flag of the
 *       weight used ({@code isNetWgtEstimated}, or {@code isQtyEstimated} for a weight from {@code
 *       qty}) gives flag {@code e}.
 *   <li>Countries come from the numeric {@code reporterCode}/{@code partnerCode}; partner 0 is the
 *       World total (WLD); areas not elsewhere specified are XOC.
 *   <li>The HS vintage is {@code classificationCode} (H0…H6).
 * </ul>
 */
public final class ComtradeFormat extends BasicFormat {
  public static final String SOURCE = "comtrade";

  /** The columns of the API's CSV, in its order, as bronze names them. */
  static final List<String> COLUMNS =
      List.of(
          "type_code",
          "freq_code",
          "ref_period_id",
          "ref_year",
          "ref_month",
          "period",
          "reporter_code",
          "reporter_iso",
          "reporter_desc",
          "flow_code",
          "flow_desc",
          "partner_code",
          "partner_iso",
          "partner_desc",
          "partner2_code",
          "partner2_iso",
          "partner2_desc",
          "classification_code",
          "classification_search_code",
          "is_original_classification",
          "cmd_code",
          "cmd_desc",
          "aggr_level",
          "is_leaf",
          "customs_code",
          "customs_desc",
          "mos_code",
          "mot_code",
          "mot_desc",
          "qty_unit_code",
          "qty_unit_abbr",
          "qty",
          "is_qty_estimated",
          "alt_qty_unit_code",
          "alt_qty_unit_abbr",
          "alt_qty",
          "is_alt_qty_estimated",
          "net_wgt",
          "is_net_wgt_estimated",
          "gross_wgt",
          "is_gross_wgt_estimated",
          "cifvalue",
          "fobvalue",
          "primary_value",
          "legacy_estimation_flag",
          "is_reported",
          "is_aggregate");

  static final List<String> REQUIRED =
      List.of("reporter_code", "partner_code", "flow_code", "cmd_code", "primary_value");

  public ComtradeFormat() {
    super(
        "comtrade",
        "refYear,refMonth,period,freqCode,reporterCode,partnerCode,partner2Code,flowCode,"
            + "cmdCode,customsCode,motCode,qtyUnitCode,qty,netWgt,primaryValue,… (Comtrade+ API,"
            + " website or bulk file; camelCase, PascalCase or codes only)",
        Tables.COMTRADE_RAW,
        COLUMNS);
  }

  @Override
  public Map<String, String> aliases() {
    // Comtrade+ exports spell the alternative quantity AtlQty.
    return Map.of("atlqty", "alt_qty");
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(REQUIRED) && (header.has("net_wgt") || header.has("qty"));
  }

  /** A Comtrade flag ({@code 1/0}, {@code TRUE/FALSE}, {@code True/False}) as a boolean. */
  static Column flag(Column raw) {
    Column f = lower(trim(raw));
    return when(f.isin("1", "true", "t", "yes", "y"), lit(true))
        .when(f.isin("0", "false", "f", "no", "n"), lit(false));
  }

  /** Comtrade periods: {@code YYYYMM} for months, {@code YYYY} for years. */
  static Column period() {
    Column p = trim(col("period"));
    Column year = coalesce(nullif(trim(col("ref_year")), lit("")), p.substr(1, 4));
    Column month = trim(col("ref_month"));
    Column freq = upper(trim(col("freq_code")));
    return when(freq.equalTo("A").and(year.rlike("^[0-9]{4}$")), year)
        .when(p.rlike("^[0-9]{6}$"), concat(p.substr(1, 4), lit("-"), p.substr(5, 2)))
        .when(p.rlike("^[0-9]{4}$"), p)
        .when(month.rlike("^[0-9]{1,2}$"), format_string("%s-%02d", year, month.cast("int")))
        .otherwise(p);
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Column mot = trim(col("mot_code"));
    Column customs = upper(trim(col("customs_code")));
    Column partner2 = trim(col("partner2_code"));
    Column notTotal =
        concat_ws(
            ", ",
            when(mot.isNotNull().and(mot.notEqual("0")), concat(lit("motCode "), mot)),
            when(
                customs.isNotNull().and(customs.notEqual("C00")),
                concat(lit("customsCode "), customs)),
            when(
                partner2.isNotNull().and(partner2.notEqual("0")),
                concat(lit("partner2Code "), partner2)));
    Column skip =
        when(
            notTotal.notEqual(""),
            concat(
                lit("Comtrade breakdown row ("),
                notTotal,
                lit("), not a total: counted in the total row")));

    Column netWgt = trim(col("net_wgt"));
    Column qty = trim(col("qty"));
    Column qtyNumber = ProductionConformer.number(qty);
    Column value = ProductionConformer.number(col("primary_value"));
    Column qtyInKg = trim(col("qty_unit_code")).equalTo("8").and(qtyNumber.gt(0));
    // A net weight of 0 beside a positive value is a weight not reported, not zero tonnes.
    Column zeroBesideValue =
        coalesce(ProductionConformer.number(netWgt).equalTo(0).and(value.gt(0)), lit(false));
    Column useNet = ProductionConformer.present(netWgt).and(zeroBesideValue.unary_$bang());
    Column useQty = useNet.unary_$bang().and(coalesce(qtyInKg, lit(false)));
    Column weight = when(useNet, netWgt).when(useQty, qty);
    Column weightMissing = useNet.unary_$bang().and(useQty.unary_$bang());
    Column estimated =
        when(useNet, flag(col("is_net_wgt_estimated"))).when(useQty, flag(col("is_qty_estimated")));

    Dataset<Row> coded =
        ref.withTradeCountryCode(
            ref.withTradeCountryCode(
                bronze
                    .withColumn("__rc", col("reporter_code"))
                    .withColumn("__pc", col("partner_code")),
                "__rc",
                "__rep"),
            "__pc",
            "__par");

    Map<String, Column> given = new HashMap<>();
    given.put("period", period());
    given.put("reporter", concat_ws(" ", trim(col("reporter_code")), trim(col("reporter_iso"))));
    given.put("partner", concat_ws(" ", trim(col("partner_code")), trim(col("partner_iso"))));
    // Reporter and partner are resolved from the numeric codes; a code no list knows is an error
    // naming the code and the ISO label.
    given.put("reporter_iso3", col("__rep"));
    given.put("reporter_iso3_kind", col("__rep_kind"));
    given.put("partner_iso3", col("__par"));
    given.put("partner_iso3_kind", col("__par_kind"));
    given.put("flow", col("flow_code"));
    given.put("commodity", col("cmd_code"));
    given.put("quantity", weight);
    given.put("unit", lit("kg"));
    given.put("basis", lit("gross"));
    given.put("value_usd", col("primary_value"));
    given.put("source", lit(SOURCE));
    given.put("flag", when(coalesce(estimated, lit(false)), lit("e")));
    given.put("release", lit(null).cast("string"));
    given.put("hs_vintage", col("classification_code"));
    given.put("_weight_missing", weightMissing);
    given.put("_skip_reason", skip);
    given.put("_pre_reason", Reasons.malformedLine());
    Dataset<Row> candidates = TradeConformer.candidates(coded, given);
    return Map.of(Tables.TRADE_FLOWS, TradeConformer.conform(candidates, ref));
  }
}
