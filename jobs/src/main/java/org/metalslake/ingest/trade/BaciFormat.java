package org.metalslake.ingest.trade;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
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
import org.metalslake.conform.TradeConformer;
import org.metalslake.ingest.Fields;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * CEPII BACI ({@code t,i,j,k,v,q}): year, exporter, importer, HS6 product, value in thousands of US
 * dollars, quantity in metric tonnes. Countries are BACI's numeric codes (ref
 * baci_country_codes.csv, the structure of BACI's own country-code file). BACI reconciles both
 * sides of a flow, so every record is one export of {@code i} to {@code j} and one import of {@code
 * j} from {@code i}: it yields two facts. HS codes lose their leading zero in BACI's files and are
 * padded back; the HS vintage is read from the file name ({@code BACI_HS22_…}).
 */
public final class BaciFormat implements SourceFormat {
  public static final String SOURCE = "baci";

  @Override
  public String name() {
    return "baci";
  }

  @Override
  public String expectedHeader() {
    return "t,i,j,k,v,q";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.TRADE_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.equals(List.of("t", "i", "j", "k", "v", "q"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Column exporter = trim(Fields.get("i"));
    Column importer = trim(Fields.get("j"));
    Dataset<Row> sides =
        bronze.withColumn(
            "__side",
            explode(
                org.apache.spark.sql.functions.array(
                    struct(lit("X").as("flow"), exporter.as("reporter"), importer.as("partner")),
                    struct(lit("M").as("flow"), importer.as("reporter"), exporter.as("partner")))));
    Dataset<Row> coded =
        ref.withTradeCountryCode(
            ref.withTradeCountryCode(sides, "__side.reporter", "__rep"), "__side.partner", "__par");
    Column value = ProductionConformer.number(Fields.get("v"));
    Map<String, Column> given = new HashMap<>();
    given.put("period", trim(Fields.get("t")));
    given.put("reporter", col("__side.reporter"));
    given.put("partner", col("__side.partner"));
    given.put("reporter_iso3", col("__rep"));
    given.put("reporter_iso3_kind", col("__rep_kind"));
    given.put("partner_iso3", col("__par"));
    given.put("partner_iso3_kind", col("__par_kind"));
    given.put("flow", col("__side.flow"));
    Column k = trim(Fields.get("k"));
    given.put("commodity", when(k.rlike("^[0-9]{5}$"), lpad(k, 6, "0")).otherwise(k));
    given.put("quantity", Fields.get("q"));
    given.put("unit", lit("t"));
    given.put("basis", lit("gross"));
    // Thousands of US dollars to dollars; an unparseable value keeps its text for the reason.
    given.put(
        "value_usd",
        when(value.isNotNull(), value.multiply(1000).cast("string")).otherwise(Fields.get("v")));
    given.put("source", lit(SOURCE));
    given.put("flag", lit(null).cast("string"));
    given.put("release", regexp_extract(col("_source_file"), "(V[0-9]{6}[a-z]?)", 1));
    given.put("hs_vintage", upper(regexp_extract(col("_source_file"), "(?i)BACI_(HS[0-9]{2})", 1)));
    Dataset<Row> candidates = TradeConformer.candidates(coded, given);
    return Map.of(Tables.TRADE_FLOWS, TradeConformer.conform(candidates, ref));
  }
}
