package dev.updraft.mender;

import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.ResultPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Mender's {@code page}/{@code per_page} paging over the engine's cursor pages, with {@code
 * X-Total-Count} and a {@code Link} header. It walks the whole listing to count it: a management
 * call, linear in what it lists.
 */
final class Pages {
  static final int MAX_PER_PAGE = 500;
  private static final int BATCH = 500;

  private Pages() {}

  /** A page of a listing in the order it is stored. */
  static <T> void respond(
      Call call,
      Function<PageRequest, ResultPage<T>> fetch,
      Predicate<T> keep,
      Function<T, Object> render)
      throws IOException {
    respond(call, fetch, keep, Optional.empty(), render);
  }

  /**
   * A page of a listing, in {@code order} when given: then every kept item is held, and sorted,
   * before the page is cut (a management call over what it lists, which it holds).
   */
  static <T> void respond(
      Call call,
      Function<PageRequest, ResultPage<T>> fetch,
      Predicate<T> keep,
      Optional<Comparator<T>> order,
      Function<T, Object> render)
      throws IOException {
    respond(
        call,
        call.queryInt("page", 1, Integer.MAX_VALUE),
        call.queryInt("per_page", 20, MAX_PER_PAGE),
        fetch,
        keep,
        order,
        render);
  }

  /** As above, with the page and its size given (a search's body carries them). */
  static <T> void respond(
      Call call,
      int page,
      int perPage,
      Function<PageRequest, ResultPage<T>> fetch,
      Predicate<T> keep,
      Optional<Comparator<T>> order,
      Function<T, Object> render)
      throws IOException {
    long skip = (long) (page - 1) * perPage;
    List<T> items = new ArrayList<>();
    long[] total = {0};
    each(
        fetch,
        item -> {
          if (keep.test(item)) {
            if (order.isPresent() || (total[0] >= skip && items.size() < perPage)) {
              items.add(item);
            }
            total[0]++;
          }
        });
    List<T> shown = items;
    if (order.isPresent()) {
      items.sort(order.get());
      shown =
          items.subList(
              (int) Math.min(skip, items.size()), (int) Math.min(skip + perPage, items.size()));
    }
    call.header("X-Total-Count", String.valueOf(total[0]));
    String path = call.path();
    List<String> links = new ArrayList<>();
    links.add(link(path, 1, perPage, "first"));
    if (page > 1) {
      links.add(link(path, page - 1, perPage, "prev"));
    }
    if (skip + perPage < total[0]) {
      links.add(link(path, page + 1, perPage, "next"));
    }
    call.header("Link", String.join(", ", links));
    call.json(200, shown.stream().map(render).toList());
  }

  /**
   * The order a {@code sort} parameter names ({@code field:asc} or {@code field:desc}, one of
   * {@code fields}), or {@code fallback} when it is absent; 400 naming the value otherwise.
   */
  static <T> Comparator<T> order(Call call, Map<String, Comparator<T>> fields, String fallback) {
    String sort = call.query("sort").orElse(fallback);
    int colon = sort.lastIndexOf(':');
    Comparator<T> field = colon < 0 ? null : fields.get(sort.substring(0, colon));
    String direction = colon < 0 ? "" : sort.substring(colon + 1);
    if (field == null || !(direction.equals("asc") || direction.equals("desc"))) {
      throw ApiException.badRequest(
          "sort: "
              + LogText.quote(sort)
              + " is not one of "
              + String.join(", ", new java.util.TreeSet<>(fields.keySet()))
              + " followed by :asc or :desc");
    }
    return direction.equals("asc") ? field : field.reversed();
  }

  /** Hands every item of a listing to {@code each}, reading it a batch at a time. */
  static <T> void each(Function<PageRequest, ResultPage<T>> fetch, Consumer<T> each) {
    PageRequest request = PageRequest.first(BATCH);
    while (true) {
      ResultPage<T> batch = fetch.apply(request);
      batch.items().forEach(each);
      if (batch.next().isEmpty()) {
        return;
      }
      request = PageRequest.after(batch.next().get(), BATCH);
    }
  }

  private static String link(String path, int page, int perPage, String rel) {
    return "<" + path + "?page=" + page + "&per_page=" + perPage + ">; rel=\"" + rel + "\"";
  }
}
