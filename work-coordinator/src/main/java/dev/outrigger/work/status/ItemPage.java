package dev.outrigger.work.status;

import java.util.List;

import dev.outrigger.work.item.ItemStatus;
import org.jspecify.annotations.Nullable;

/**
 * A page of a queue's items, newest first.
 *
 * @param items the items on this page
 * @param next the token that asks for the next page, null on the last
 */
public record ItemPage(List<ItemStatus> items, @Nullable String next) {

}
