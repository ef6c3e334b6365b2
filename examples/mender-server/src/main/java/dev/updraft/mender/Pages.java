package dev.updraft.mender;

import dev.updraft.core.engine.PageRequest;
import dev.updraft.core.engine.ResultPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

  static <T> void respond(
      Call call,
      Function<PageRequest, ResultPage<T>> fetch,
      Predicate<T> keep,
      Function<T, Object> render)
      throws IOException {
    int page = call.queryInt("page", 1, Integer.MAX_VALUE);
    int perPage = call.queryInt("per_page", 20, MAX_PER_PAGE);
    long skip = (long) (page - 1) * perPage;
    List<Object> items = new ArrayList<>();
    long[] total = {0};
    each(
        fetch,
        item -> {
          if (keep.test(item)) {
            if (total[0] >= skip && items.size() < perPage) {
              items.add(render.apply(item));
            }
            total[0]++;
          }
        });
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
    call.json(200, items);
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
