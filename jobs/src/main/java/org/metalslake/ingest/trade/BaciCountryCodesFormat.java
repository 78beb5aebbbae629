package org.metalslake.ingest.trade;

import static org.apache.spark.sql.functions.lit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.TradeConformer;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * BACI's country-code file ({@code country_codes_V….csv}), when it lands beside the BACI data as
 * CEPII ships it. It holds reference data, not flows: its records are counted and skipped with the
 * reason saying where such a file takes effect (the reference folder), so the run neither fails on
 * an unknown header nor loses the records silently.
 */
public final class BaciCountryCodesFormat implements SourceFormat {
  @Override
  public String name() {
    return "baci-country-codes";
  }

  @Override
  public String expectedHeader() {
    return "country_code,country_name,country_iso2,country_iso3";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.TRADE_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(List.of("country_code", "country_iso3"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Map<String, Column> given = new HashMap<>();
    for (String c : List.of("period", "reporter", "partner", "flow", "commodity", "quantity")) {
      given.put(c, lit(null).cast("string"));
    }
    given.put("source", lit(BaciFormat.SOURCE));
    given.put(
        "_skip_reason",
        lit(
            "BACI country-code file: reference data, not trade flows; to use it, copy it as"
                + " baci_country_codes.csv into the reference folder (ref.dir)"));
    return Map.of(
        Tables.TRADE_FLOWS, TradeConformer.conform(TradeConformer.candidates(bronze, given), ref));
  }
}
