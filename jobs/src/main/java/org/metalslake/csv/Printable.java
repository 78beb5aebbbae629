package org.metalslake.csv;

/**
 * Text from a file made safe for a message on a console or in a table: control characters and other
 * non-printing code points become {@code ?}, and long text is cut, so an error about a binary or
 * hostile file never prints the file.
 */
public final class Printable {
  private Printable() {}

  /** At most this many characters of file content in one message. */
  public static final int MAX = 200;

  public static String of(String s) {
    return of(s, MAX);
  }

  public static String of(String s, int max) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 1);
    for (int i = 0; i < s.length() && sb.length() < max; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean printable =
          !Character.isISOControl(cp)
              && Character.getType(cp) != Character.UNASSIGNED
              && Character.getType(cp) != Character.PRIVATE_USE
              && Character.getType(cp) != Character.SURROGATE
              && Character.getType(cp) != Character.FORMAT
              && cp != 0xFFFD;
      sb.appendCodePoint(printable ? cp : '?');
    }
    if (sb.length() >= max && s.length() > max) {
      sb.append('…');
    }
    return sb.toString();
  }
}
