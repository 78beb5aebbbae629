package org.metalslake.csv;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The key a column name is matched by: its letters and digits only, lower case, accents dropped —
 * so case, blanks, underscores, hyphens and a byte-order mark do not matter ({@code CmdCode},
 * {@code cmdCode} and {@code cmd_code} are all {@code cmdcode}; {@code PROD_EST_ 2024} is {@code
 * prodest2024}; {@code USprod_Refinery-primary_kt} is {@code usprodrefineryprimarykt}). A bronze
 * column name ({@code usprod_refinery_primary_kt}) has the key of the header it came from.
 */
public final class ColumnKey {
  private ColumnKey() {}

  public static String of(String name) {
    if (name == null) {
      return "";
    }
    return Normalizer.normalize(name, Normalizer.Form.NFD)
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]", "");
  }
}
