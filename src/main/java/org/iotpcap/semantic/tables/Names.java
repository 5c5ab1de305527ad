package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code names} table: each DNS name with every address it resolves to in the capture: answer sections of responses, CNAME chains followed (at most 16 links, loops cut). Analyses resolve a server given by name through this table. */
public final class Names extends TableDeclaration {
    public static final Names T = new Names();

    public final Column.Text name = text("name", "the name, lower case, no trailing dot");
    public final Column.Text address = text("address", "an address it resolves to");
    public final Column.Int64 firstFrame = int64("first_frame", "the response that first gave that address");
    public final Column.Text chain = text("chain", "`a -> b -> c` when reached through CNAMEs, else null");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private Names() {
        super("names", "Each DNS name with every address it resolves to in the capture: answer sections of responses, CNAME chains followed (at most 16 links, loops cut). Analyses resolve a server given by name through this table.");
    }
}
