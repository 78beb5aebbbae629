package org.metalslake.sources.usgs;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a USGS salient column name means, whatever the release's spelling: the words of the name
 * without case, separators or the unit suffix ({@code USprod_Refinery-primary_kt} and {@code
 * USprod_Refinery_Primary_kt} both mean {@code usprod refinery primary}; {@code NIR_Refinedpct},
 * {@code NIR_Refined_pct} mean {@code nir refined}; {@code NIR_pct} and {@code NIR_ct} mean {@code
 * nir}; {@code Consump_} and {@code Consump_t} mean {@code consump}), and the unit the name states,
 * if any. The mapping (ref usgs_salient_columns.csv) is keyed by meaning, so one row serves every
 * release that spells a column any of these ways; other spellings are listed in the row.
 */
record SalientColumn(String meaning, String unit) {

  /** Unit suffixes USGS writes after the last underscore. */
  static final Set<String> UNITS =
      Set.of(
          "t", "kt", "kg", "pct", "ct", "ctslb", "dlb", "dt", "dto", "dkg", "num", "um", "mt", "g",
          "dg", "dkt");

  /** Unit suffixes USGS has glued to the last word ({@code NIR_Refinedpct}, {@code ERRORkt}). */
  private static final List<String> GLUED = List.of("pct", "kt");

  static SalientColumn of(String name) {
    String plain =
        Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFD)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_+|_+$", "");
    List<String> words = new ArrayList<>(Arrays.asList(plain.split("_")));
    words.removeIf(String::isEmpty);
    String unit = null;
    if (words.size() > 1 && UNITS.contains(words.get(words.size() - 1))) {
      unit = words.remove(words.size() - 1);
    } else if (!words.isEmpty()) {
      String last = words.get(words.size() - 1);
      for (String u : GLUED) {
        if (last.length() > u.length() + 2 && last.endsWith(u)) {
          unit = u;
          words.set(words.size() - 1, last.substring(0, last.length() - u.length()));
          break;
        }
      }
    }
    return new SalientColumn(String.join(" ", words), unit);
  }

  /**
   * Tonnes (or percent) per unit the name states; null when it states none or one that is not a
   * quantity (a price, a head count), so the mapping's unit applies.
   */
  Double factor() {
    if (unit == null) {
      return null;
    }
    return switch (unit) {
      case "t", "pct", "ct" -> 1.0;
      case "kt" -> 1000.0;
      case "kg" -> 0.001;
      default -> null;
    };
  }
}
