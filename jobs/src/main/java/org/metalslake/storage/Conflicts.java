package org.metalslake.storage;

import io.delta.exceptions.DeltaConcurrentModificationException;

/**
 * Delta's answer to two writers committing to one table at the same time: the later commit is
 * refused (its files stay unreferenced, no reader sees them), and writing it again on the table as
 * it now is gives what a run started a moment later would have written.
 */
public final class Conflicts {
  private Conflicts() {}

  /** Whether {@code e} or one of its causes is Delta's refusal of a concurrent commit. */
  public static boolean concurrentCommit(Throwable e) {
    return refusal(e) != null;
  }

  /** Delta's refusal in {@code e}'s cause chain, or null. */
  public static DeltaConcurrentModificationException refusal(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof DeltaConcurrentModificationException d) {
        return d;
      }
    }
    return null;
  }
}
