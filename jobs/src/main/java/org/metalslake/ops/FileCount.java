package org.metalslake.ops;

/**
 * Reconciliation of one input file: {@code records = toSilver + quarantined}, where quarantined
 * includes {@code skipped} (records outside the product's scope, kept in quarantine as such).
 */
public record FileCount(
    String file,
    String fileId,
    String format,
    long records,
    long toSilver,
    long quarantined,
    long skipped,
    long facts) {

  public boolean reconciles() {
    return records == toSilver + quarantined;
  }

  public long errors() {
    return quarantined - skipped;
  }
}
