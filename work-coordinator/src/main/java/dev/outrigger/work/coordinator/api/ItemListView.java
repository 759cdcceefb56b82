package dev.outrigger.work.coordinator.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of a queue's items, newest first.
 *
 * @param items the items on this page
 * @param next the path of the next page, null on the last
 */
public record ItemListView(List<ItemView> items, @Nullable String next) {

}
