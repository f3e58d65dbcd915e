package dev.rtca.segments;

import java.util.Optional;

/**
 * A contact and the start of one of its streams, read for one page.
 *
 * @param contact the contact, empty when it does not exist
 * @param end     the stream's counter as read with the contact: every sequence below it was committed when the
 *                contact was read (0 for an empty or missing stream)
 * @param slice   the stream's items from the requested position
 */
public record StreamRead(Optional<Contact> contact, long end, Slice slice) {
}
