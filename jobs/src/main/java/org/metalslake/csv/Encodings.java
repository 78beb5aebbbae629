package org.metalslake.csv;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Character sets forced for some files (configuration {@code ingest.encodings}): file-name pattern
 * (a glob, matched on the name, or on the whole path when it holds a {@code /}) → charset. Other
 * files are detected by {@link CsvText#probe}.
 */
public record Encodings(Map<String, String> byPattern) implements Serializable {
  public Encodings {
    byPattern = new LinkedHashMap<>(byPattern);
    for (Map.Entry<String, String> e : byPattern.entrySet()) {
      if (!Charset.isSupported(e.getValue())) {
        throw new IllegalArgumentException(
            "ingest.encodings: '" + e.getValue() + "' (for " + e.getKey() + ") is no charset");
      }
    }
  }

  public static Encodings none() {
    return new Encodings(Map.of());
  }

  /** The charset configured for a file, or null. */
  public String forFile(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    for (Map.Entry<String, String> e : byPattern.entrySet()) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + e.getKey());
      boolean byPath = e.getKey().contains("/") && m.matches(Path.of(path));
      if (byPath || m.matches(Path.of(name))) {
        return e.getValue();
      }
    }
    return null;
  }
}
