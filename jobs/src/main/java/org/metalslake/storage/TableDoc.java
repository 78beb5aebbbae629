package org.metalslake.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/** Table comment and column comments, written into the Delta table for consumers. */
public record TableDoc(String comment, Map<String, String> columns) {
  public static TableDoc of(String comment) {
    return new TableDoc(comment, new LinkedHashMap<>());
  }

  public TableDoc column(String name, String text) {
    Map<String, String> copy = new LinkedHashMap<>(columns);
    copy.put(name, text);
    return new TableDoc(comment, copy);
  }
}
