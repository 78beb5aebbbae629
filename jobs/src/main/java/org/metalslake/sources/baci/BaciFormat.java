package org.metalslake.sources.baci;

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
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * CEPII BACI ({@code t,i,j,k,v,q}): year, exporter, importer, HS6 product, value in thousands of US
 * dollars, quantity in metric tonnes. Countries are BACI's numeric codes: the code list of the
 * file's release when one landed with the data ({@code silver.trade_country_codes}), else the
 * bundled ref baci_country_codes.csv (laid out like BACI's own). BACI reconciles both sides of a
 * flow, so every record is one export of {@code i} to {@code j} and one import of {@code j} from
 * {@code i}: it yields two facts. HS codes lose their leading zero in BACI's files and are padded
 * back; the HS vintage is read from the file name ({@code BACI_HS22_…}).
 */
public final class BaciFormat extends BasicFormat {
  public static final String SOURCE = "baci";

  public BaciFormat() {
    super("baci", "t,i,j,k,v,q", Tables.BACI_RAW, List.of("t", "i", "j", "k", "v", "q"));
  }

  @Override
  public boolean matches(Header header) {
    return header.keys().equals(List.of("t", "i", "j", "k", "v", "q"));
  }

  /** The release of a BACI file, from its name ({@code BACI_HS22_Y2022_V202501.csv}). */
  static Column release() {
    return BaciCountryCodesFormat.releaseOf(col("_source_file"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Column exporter = trim(col("i"));
    Column importer = trim(col("j"));
    Dataset<Row> sides =
        bronze.withColumn(
            "__side",
            explode(
                org.apache.spark.sql.functions.array(
                    struct(lit("X").as("flow"), exporter.as("reporter"), importer.as("partner")),
                    struct(lit("M").as("flow"), importer.as("reporter"), exporter.as("partner")))));
    Column source = lit(SOURCE);
    Dataset<Row> coded =
        ref.withTradeCountryCode(
            ref.withTradeCountryCode(
                sides.withColumn("__reporter", col("__side.reporter")),
                "__reporter",
                source,
                release(),
                "__rep"),
            "__side.partner",
            source,
            release(),
            "__par");
    Column value = ProductionConformer.number(col("v"));
    Map<String, Column> given = new HashMap<>();
    given.put("period", trim(col("t")));
    given.put("reporter", col("__side.reporter"));
    given.put("partner", col("__side.partner"));
    given.put("reporter_iso3", col("__rep"));
    given.put("reporter_iso3_kind", col("__rep_kind"));
    given.put("partner_iso3", col("__par"));
    given.put("partner_iso3_kind", col("__par_kind"));
    given.put("flow", col("__side.flow"));
    Column k = trim(col("k"));
    given.put("commodity", when(k.rlike("^[0-9]{5}$"), lpad(k, 6, "0")).otherwise(k));
    given.put("quantity", col("q"));
    given.put("unit", lit("t"));
    given.put("basis", lit("gross"));
    // Thousands of US dollars to dollars; an unparseable value keeps its text for the reason.
    given.put(
        "value_usd",
        when(value.isNotNull(), value.multiply(1000).cast("string")).otherwise(col("v")));
    given.put("source", lit(SOURCE));
    given.put("flag", lit(null).cast("string"));
    given.put("release", release());
    given.put("hs_vintage", upper(regexp_extract(col("_source_file"), "(?i)BACI_(HS[0-9]{2})", 1)));
    Dataset<Row> candidates = TradeConformer.candidates(coded, given);
    return Map.of(Tables.TRADE_FLOWS, TradeConformer.conform(candidates, ref));
  }
}
