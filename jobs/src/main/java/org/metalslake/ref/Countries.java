package org.metalslake.ref;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Countries and areas (countries.csv): ISO3 or a pseudo-code such as WLD, a kind, and the names a
 * country is known by (ISO3, ISO2, name, aliases), each of which must name one country.
 */
final class Countries {
  static final String FILE = "countries.csv";

  private final Dataset<Row> table;
  private final Dataset<Row> keys;
  private final Map<String, String> kinds = new LinkedHashMap<>();
  private final Map<String, String[]> byKey;

  Countries(RefSource source) {
    List<Row> rows = new ArrayList<>();
    Map<String, String[]> cKeys = new LinkedHashMap<>();
    for (Map<String, String> m : source.records(FILE)) {
      String iso3 = m.get("iso3");
      rows.add(
          RowFactory.create(
              iso3,
              RefSource.emptyToNull(m.get("iso2")),
              RefSource.emptyToNull(m.get("m49")),
              m.get("name"),
              m.get("kind"),
              RefSource.emptyToNull(m.get("aliases")),
              m.get("until") == null || m.get("until").isEmpty()
                  ? null
                  : Integer.valueOf(m.get("until"))));
      List<String> names = new ArrayList<>(List.of(iso3, m.get("name")));
      if (!m.get("iso2").isEmpty()) {
        names.add(m.get("iso2"));
      }
      names.addAll(RefSource.aliases(m.get("aliases")));
      for (String k : names) {
        RefSource.putUnique(cKeys, Keys.normalise(k), new String[] {iso3, m.get("kind")}, FILE);
      }
    }
    byKey = cKeys;
    rows.forEach(r -> kinds.put(r.getString(0), r.getString(4)));
    table =
        source.frame(
            rows,
            "iso3 STRING, iso2 STRING, m49 STRING, name STRING, kind STRING, aliases STRING,"
                + " until INT");
    keys =
        source.frame(
            cKeys.entrySet().stream()
                .map(e -> RowFactory.create(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList(),
            "key STRING, iso3 STRING, kind STRING");
  }

  Dataset<Row> table() {
    return table;
  }

  /** ref.country_aliases: every normalised name with its country. */
  Dataset<Row> aliasTable() {
    return keys.select(col("key").as("alias"), col("iso3"), col("kind")).orderBy("alias");
  }

  /** True when the list has the country (or area) {@code iso3}. */
  boolean has(String iso3) {
    return kinds.containsKey(iso3);
  }

  /** The kind of the country {@code iso3}; null for a code this list lacks. */
  String kind(String iso3) {
    return kinds.get(iso3);
  }

  /** The ISO3 of the country known by {@code name} (any case and blanks); null if none. */
  String iso3ByName(String name) {
    String[] c = byKey.get(Keys.normalise(name));
    return c == null ? null : c[0];
  }

  /** See {@link RefData#withCountry(Dataset, String, String)}. */
  Dataset<Row> withCountry(Dataset<Row> df, String nameCol, String out) {
    Column full = Keys.withoutFootnote(Keys.normalise(col(nameCol)));
    Dataset<Row> keyed =
        df.withColumn("__ck1", full).withColumn("__ck2", Keys.withoutQualifier(full));
    Dataset<Row> first =
        RefSource.lookup(keyed, col("__ck1"), keys, "key", "__k1", "iso3", "__i1", "kind", "__d1");
    return RefSource.lookup(
            first, col("__ck2"), keys, "key", "__k2", "iso3", "__i2", "kind", "__d2")
        .withColumn(out, coalesce(col("__i1"), col("__i2")))
        .withColumn(out + "_kind", coalesce(col("__d1"), col("__d2")))
        .drop("__ck1", "__ck2", "__k1", "__i1", "__d1", "__k2", "__i2", "__d2");
  }
}
