package org.metalslake.ref;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Units of mass (units.csv) and their factor to metric tons: a unit matches by its code as written,
 * else by its name or an alias (any case and blanks), and by its code in any case where that is
 * unambiguous.
 */
final class Units {
  private static final String FILE = "units.csv";
  private static final String KEY_DDL = "key STRING, unit STRING, factor_to_t DOUBLE";

  private final Dataset<Row> table;
  private final Dataset<Row> exact;
  private final Dataset<Row> loose;

  Units(RefSource source) {
    List<Row> rows = new ArrayList<>();
    List<Row> exactRows = new ArrayList<>();
    Map<String, String[]> looseKeys = new LinkedHashMap<>();
    Map<String, Integer> lowerCodes = new LinkedHashMap<>();
    for (Map<String, String> m : source.records(FILE)) {
      lowerCodes.merge(m.get("code").toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    for (Map<String, String> m : source.records(FILE)) {
      double factor = Double.parseDouble(m.get("factor_to_t"));
      String code = m.get("code");
      rows.add(
          RowFactory.create(code, m.get("name"), RefSource.emptyToNull(m.get("aliases")), factor));
      exactRows.add(RowFactory.create(code, code, factor));
      List<String> keys = new ArrayList<>(RefSource.aliases(m.get("aliases")));
      keys.add(m.get("name"));
      String lc = code.toLowerCase(Locale.ROOT);
      // A code whose lower case is unambiguous also matches case-insensitively (KG, Kt);
      // 'mt' is not one of them: it means a metric ton to some and a megatonne to others.
      boolean caseSensitive = Boolean.parseBoolean(m.get("case_sensitive_code"));
      if (!caseSensitive || (lowerCodes.get(lc) == 1 && !lc.equals("mt"))) {
        keys.add(code);
      }
      for (String k : keys) {
        if (!k.toLowerCase(Locale.ROOT).equals("mt")) {
          RefSource.putUnique(
              looseKeys, Keys.normalise(k), new String[] {code, m.get("factor_to_t")}, "units");
        }
      }
    }
    table = source.frame(rows, "code STRING, name STRING, aliases STRING, factor_to_t DOUBLE");
    exact = source.frame(exactRows, KEY_DDL);
    loose =
        source.frame(
            looseKeys.entrySet().stream()
                .map(
                    e ->
                        RowFactory.create(
                            e.getKey(), e.getValue()[0], Double.parseDouble(e.getValue()[1])))
                .toList(),
            KEY_DDL);
  }

  Dataset<Row> table() {
    return table;
  }

  /** See {@link RefData#withUnit(Dataset, String, String)}. */
  Dataset<Row> withUnit(Dataset<Row> df, String nameCol, String out) {
    Dataset<Row> byCode =
        RefSource.lookup(
            df, trim(col(nameCol)), exact, "key", "__ue", "unit", "__uc1", "factor_to_t", "__uf1");
    return RefSource.lookup(
            byCode,
            Keys.normalise(col(nameCol)),
            loose,
            "key",
            "__ul",
            "unit",
            "__uc2",
            "factor_to_t",
            "__uf2")
        .withColumn(out, coalesce(col("__uc1"), col("__uc2")))
        .withColumn(out + "_factor", coalesce(col("__uf1"), col("__uf2")))
        .drop("__ue", "__uc1", "__uf1", "__ul", "__uc2", "__uf2");
  }
}
