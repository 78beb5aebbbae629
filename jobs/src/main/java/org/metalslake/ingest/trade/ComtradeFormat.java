package org.metalslake.ingest.trade;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
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
import org.metalslake.ingest.Fields;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * UN Comtrade (Comtrade+ bulk or API CSV) as downloaded. Rules that keep flows from being counted
 * twice or read wrongly:
 *
 * <ul>
 *   <li>Only total rows are facts: {@code motCode} 0 (all modes of transport), {@code customsCode}
 *       C00 (all procedures) and {@code partner2Code} 0 (all second partners). Breakdown rows
 *       repeat parts of a total and are skipped with their reason.
 *   <li>Rows that are not the most detailed code ({@code isLeaf} 0) are skipped when the file says
 *       so: their children carry the same trade.
 *   <li>{@code netWgt} is in kilograms; when it is empty, {@code qty} is used if its unit is kg
 *       ({@code qtyUnitCode} 8); an empty {@code netWgt} with {@code qty} 0 is a missing weight,
 *       not a zero.
 *   <li>Countries come from the numeric {@code reporterCode}/{@code partnerCode}; partner 0 is the
 *       World total (WLD); areas not elsewhere specified are XOC.
 *   <li>The HS vintage is {@code classificationCode} (H0…H6).
 * </ul>
 */
public final class ComtradeFormat implements SourceFormat {
  static final List<String> REQUIRED =
      List.of("reportercode", "partnercode", "flowcode", "cmdcode", "netwgt", "primaryvalue");

  public static final String SOURCE = "comtrade";

  @Override
  public String name() {
    return "comtrade";
  }

  @Override
  public String expectedHeader() {
    return "refYear,refMonth,period,freqCode,reporterCode,reporterISO,partnerCode,partnerISO,"
        + "partner2Code,flowCode,cmdCode,customsCode,motCode,qtyUnitCode,qty,netWgt,"
        + "primaryValue,… (Comtrade+ bulk CSV)";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.TRADE_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(REQUIRED);
  }

  /** Comtrade periods: {@code YYYYMM} for months, {@code YYYY} for years. */
  static Column period() {
    Column p = trim(Fields.get("period"));
    Column year = coalesce(nullif(trim(Fields.get("refYear")), lit("")), p.substr(1, 4));
    Column month = trim(Fields.get("refMonth"));
    Column freq = upper(trim(Fields.get("freqCode")));
    return when(freq.equalTo("A").and(year.rlike("^[0-9]{4}$")), year)
        .when(p.rlike("^[0-9]{6}$"), concat(p.substr(1, 4), lit("-"), p.substr(5, 2)))
        .when(p.rlike("^[0-9]{4}$"), p)
        .when(month.rlike("^[0-9]{1,2}$"), format_string("%s-%02d", year, month.cast("int")))
        .otherwise(p);
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Column mot = trim(Fields.get("motCode"));
    Column customs = upper(trim(Fields.get("customsCode")));
    Column partner2 = trim(Fields.get("partner2Code"));
    Column leaf = trim(Fields.get("isLeaf"));
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
        coalesce(
            when(
                notTotal.notEqual(""),
                concat(
                    lit("Comtrade breakdown row ("),
                    notTotal,
                    lit("), not a total: counted in the total row"))),
            when(
                leaf.equalTo("0"),
                lit(
                    "Comtrade row above the most detailed code (isLeaf 0): its subcodes carry it")));

    Column netWgt = trim(Fields.get("netWgt"));
    Column qty = trim(Fields.get("qty"));
    Column qtyUnit = trim(Fields.get("qtyUnitCode"));
    Column netEmpty = netWgt.isNull().or(netWgt.equalTo(""));
    Column qtyNumber = ProductionConformer.number(qty);
    Column qtyIsKg = qtyUnit.equalTo("8");
    // netWgt first; qty when it is in kg and positive; otherwise the weight is missing.
    Column weight = when(netEmpty.unary_$bang(), netWgt).when(qtyIsKg.and(qtyNumber.gt(0)), qty);
    Column weightMissing = netEmpty.and(qtyIsKg.and(qtyNumber.gt(0)).unary_$bang());

    Dataset<Row> coded =
        ref.withTradeCountryCode(
            ref.withTradeCountryCode(
                bronze
                    .withColumn("__rc", Fields.get("reporterCode"))
                    .withColumn("__pc", Fields.get("partnerCode")),
                "__rc",
                "__rep"),
            "__pc",
            "__par");

    Map<String, Column> given = new HashMap<>();
    given.put("period", period());
    given.put(
        "reporter",
        concat_ws(" ", trim(Fields.get("reporterCode")), trim(Fields.get("reporterISO"))));
    given.put(
        "partner", concat_ws(" ", trim(Fields.get("partnerCode")), trim(Fields.get("partnerISO"))));
    // Reporter and partner are resolved from the numeric codes; a code no list knows is an error
    // naming the code and the ISO label (looked up by name as a fallback).
    given.put("reporter_iso3", col("__rep"));
    given.put("reporter_iso3_kind", col("__rep_kind"));
    given.put("partner_iso3", col("__par"));
    given.put("partner_iso3_kind", col("__par_kind"));
    given.put("flow", Fields.get("flowCode"));
    given.put("commodity", Fields.get("cmdCode"));
    given.put("quantity", weight);
    given.put("unit", lit("kg"));
    given.put("basis", lit("gross"));
    given.put("value_usd", Fields.get("primaryValue"));
    given.put("source", lit(SOURCE));
    given.put("flag", lit(null).cast("string"));
    given.put("release", lit(null).cast("string"));
    given.put("hs_vintage", Fields.get("classificationCode"));
    given.put("_weight_missing", weightMissing);
    given.put("_skip_reason", skip);
    given.put("_pre_reason", Reasons.malformedLine());
    Dataset<Row> candidates = TradeConformer.candidates(coded, given);
    return Map.of(Tables.TRADE_FLOWS, TradeConformer.conform(candidates, ref));
  }
}
