package org.metalslake.sources;

import java.util.List;
import org.metalslake.storage.TableId;

/**
 * The parts of a {@link SourceFormat} that are plain values: its name, the header it expects, its
 * bronze table and its source columns. A format extends this and adds how it is recognised and
 * conformed.
 */
public abstract class BasicFormat implements SourceFormat {
  private final String name;
  private final String expectedHeader;
  private final TableId bronzeTable;
  private final List<String> columns;

  protected BasicFormat(
      String name, String expectedHeader, TableId bronzeTable, List<String> columns) {
    this.name = name;
    this.expectedHeader = expectedHeader;
    this.bronzeTable = bronzeTable;
    this.columns = List.copyOf(columns);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String expectedHeader() {
    return expectedHeader;
  }

  @Override
  public final TableId bronzeTable() {
    return bronzeTable;
  }

  @Override
  public final List<String> columns() {
    return columns;
  }

  @Override
  public String toString() {
    return name;
  }
}
