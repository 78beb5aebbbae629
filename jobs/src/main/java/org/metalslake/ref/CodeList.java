package org.metalslake.ref;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A list of codes with a name, aliases and one more column, each name naming one code: the metals
 * (metals.csv, with their category) and the stages (stages.csv, with a description).
 */
final class CodeList {
  private final Dataset<Row> table;
  private final Dataset<Row> keys;
  private final Map<String, String> codeByKey = new LinkedHashMap<>();

  private CodeList(RefSource source, String file, String column) {
    List<Row> rows = new ArrayList<>();
    Map<String, String[]> codes = new LinkedHashMap<>();
    for (Map<String, String> m : source.records(file)) {
      rows.add(
          RowFactory.create(
              m.get("code"),
              m.get("name"),
              RefSource.emptyToNull(m.get("aliases")),
              m.get(column)));
      List<String> names = new ArrayList<>(List.of(m.get("code"), m.get("name")));
      names.addAll(RefSource.aliases(m.get("aliases")));
      for (String k : names) {
        RefSource.putUnique(codes, Keys.normalise(k), new String[] {m.get("code")}, file);
      }
    }
    codes.forEach((k, v) -> codeByKey.put(k, v[0]));
    table = source.frame(rows, "code STRING, name STRING, aliases STRING, " + column + " STRING");
    keys =
        source.frame(
            codes.entrySet().stream()
                .map(e -> RowFactory.create(e.getKey(), e.getValue()[0]))
                .toList(),
            "key STRING, code STRING");
  }

  static CodeList metals(RefSource source) {
    return new CodeList(source, "metals.csv", "category");
  }

  static CodeList stages(RefSource source) {
    return new CodeList(source, "stages.csv", "description");
  }

  Dataset<Row> table() {
    return table;
  }

  /** The code a name, alias or code names (any case and blanks), on the driver; null if none. */
  String code(String name) {
    return codeByKey.get(Keys.normalise(name));
  }

  /** Adds {@code <out>}, the code named by {@code nameCol} (any case and blanks); null if none. */
  Dataset<Row> withCode(Dataset<Row> df, String nameCol, String out) {
    return RefSource.lookup(df, Keys.normalise(col(nameCol)), keys, "key", "__mk", "code", "__mc")
        .withColumn(out, col("__mc"))
        .drop("__mk", "__mc");
  }
}
