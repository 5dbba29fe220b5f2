package io.efftrain.datasets.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields: RFC 4180 quoting (a quoted field may hold the delimiter, {@code ""} is a
 * quote), surrounding spaces kept out of numbers by the caller's trim. Multi-line quoted fields are not
 * supported: numeric exports never have them, and rows stay one per line so errors can give line numbers.
 */
final class CsvLine {
    private CsvLine() {
    }

    static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
