package org.metalslake.sources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.metalslake.csv.ColumnKey;

/**
 * A file's header as read, with each column's key: its name ignoring case, blanks, underscores and
 * a byte-order mark ({@code CmdCode}, {@code cmdCode} and {@code cmd_code} are all {@code cmdcode};
 * {@code PROD_EST_ 2024} is {@code prodest2024}). Formats are recognised by keys.
 */
public record Header(List<String> names) {
  public Header {
    names = List.copyOf(names);
  }

  /** The keys in header order, blank trailing columns left out. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(ColumnKey.of(n));
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  public Set<String> keySet() {
    return new LinkedHashSet<>(keys());
  }

  /** True when the header has a column of every one of these names (compared by key). */
  public boolean hasAll(Collection<String> columns) {
    Set<String> keys = keySet();
    return columns.stream().allMatch(c -> keys.contains(ColumnKey.of(c)));
  }

  public boolean has(String column) {
    return keySet().contains(ColumnKey.of(column));
  }

  /** True when some column's key matches the regular expression. */
  public boolean anyKeyMatches(String regex) {
    return keys().stream().anyMatch(k -> k.matches(regex));
  }
}
