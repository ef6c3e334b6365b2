package dev.updraft.mender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.updraft.mender.SimulatedDevice.KeyKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventory: tags, deleting a device's inventory or a group, statistics, filterable attributes. */
class InventoryApiTest {
  private static final String INVENTORY = "/api/management/v1/inventory";
  private static final String DEVAUTH = "/api/management/v2/devauth";

  @TempDir Path directory;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.embedded(directory.resolve("server"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The device's attributes in {@code scope}, name to value as JSON text. */
  private Map<String, String> attributes(String id, String scope) {
    Map<String, String> found = new java.util.TreeMap<>();
    for (JsonNode attribute :
        server.admin.get(INVENTORY + "/devices/" + id).json().path("attributes")) {
      if (attribute.path("scope").asText().equals(scope)) {
        found.put(attribute.path("name").asText(), attribute.path("value").toString());
      }
    }
    return found;
  }

  private static Map<String, Object> tag(String name, String value) {
    return Map.of("name", name, "value", value);
  }

  @Test
  @Covers({
    "PUT /api/management/v1/inventory/devices/{id}/tags",
    "PATCH /api/management/v1/inventory/devices/{id}/tags"
  })
  void tags_replacedOrMerged_andValidated() {
    String id = server.acceptedDevice("bb:00:00:00:0a:01");
    String tags = INVENTORY + "/devices/" + id + "/tags";
    assertThat(server.admin.put(tags, List.of(tag("site", "berlin"), tag("env", "test"))).status())
        .isEqualTo(200);
    assertThat(attributes(id, "tags")).containsOnlyKeys("site", "env");
    assertThat(server.admin.patch(tags, List.of(tag("env", "prod"), tag("rack", "7"))).status())
        .isEqualTo(200);
    assertThat(attributes(id, "tags"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("site", "\"berlin\"", "env", "\"prod\"", "rack", "\"7\""));
    assertThat(server.admin.put(tags, List.of(tag("only", "one"))).status()).isEqualTo(200);
    assertThat(attributes(id, "tags")).containsOnlyKeys("only");

    Http.Reply notString = server.admin.put(tags, List.of(Map.of("name", "n", "value", 3)));
    assertThat(notString.status()).isEqualTo(400);
    assertThat(notString.json().path("error").asText()).contains("tags[0].value");
    Http.Reply ifMatch =
        server.admin.send(
            server
                .admin
                .request(tags)
                .header("If-Match", "\"some-etag\"")
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("[]")));
    assertThat(ifMatch.status()).isEqualTo(412);
    assertThat(server.admin.put(INVENTORY + "/devices/nope/tags", List.of()).status())
        .isEqualTo(404);
    assertThat(attributes(id, "tags"))
        .as("refused requests change nothing")
        .containsOnlyKeys("only");
  }

  @Test
  void devices_sortedByAttributes_groupsByStatus() {
    String a = server.acceptedDevice("bb:00:00:00:13:01");
    String b = server.acceptedDevice("bb:00:00:00:13:02");
    String c = server.acceptedDevice("bb:00:00:00:13:03");
    String none = server.acceptedDevice("bb:00:00:00:13:04");
    server.admin.put(INVENTORY + "/devices/" + a + "/tags", List.of(tag("rank", "b")));
    server.admin.put(INVENTORY + "/devices/" + b + "/tags", List.of(tag("rank", "a")));
    server.admin.put(INVENTORY + "/devices/" + c + "/tags", List.of(tag("rank", "c")));
    assertThat(server.admin.get(INVENTORY + "/devices?sort=rank:asc").json())
        .extracting(d -> d.path("id").asText())
        .containsExactly(b, a, c, none);
    Http.Reply descending = server.admin.get(INVENTORY + "/devices?sort=rank&per_page=2&page=1");
    assertThat(descending.json()).extracting(d -> d.path("id").asText()).containsExactly(c, a);
    assertThat(descending.header("X-Total-Count")).contains("4");
    Http.Reply bad = server.admin.get(INVENTORY + "/devices?sort=rank:up");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).contains("sort", "rank:up");

    server.admin.put(INVENTORY + "/devices/" + a + "/group", Map.of("group", "field"));
    server.admin.put(INVENTORY + "/devices/" + b + "/group", Map.of("group", "lab"));
    server.admit(b, "rejected");
    assertThat(server.admin.get(INVENTORY + "/groups?status=accepted").json().toString())
        .isEqualTo("[\"field\"]");
    assertThat(server.admin.get(INVENTORY + "/groups").json()).hasSize(2);
    assertThat(server.admin.get(INVENTORY + "/groups?status=sleeping").status()).isEqualTo(400);
  }

  @Test
  @Covers("POST /api/management/v2/inventory/filters/search")
  void search_byIdsText_sorted_paged_selected() {
    String a = server.acceptedDevice("bb:00:00:00:14:01");
    String b = server.acceptedDevice("bb:00:00:00:14:02");
    String c = server.acceptedDevice("bb:00:00:00:14:03");
    server.admin.put(INVENTORY + "/devices/" + a + "/tags", List.of(tag("site", "Berlin")));
    server.admin.put(INVENTORY + "/devices/" + b + "/tags", List.of(tag("site", "Oslo")));
    server.admin.put(INVENTORY + "/devices/" + c + "/tags", List.of(tag("site", "Athens")));
    String search = "/api/management/v2/inventory/filters/search";
    Map<String, Object> bySite =
        Map.of(
            "sort",
            List.of(Map.of("scope", "tags", "attribute", "site", "order", "desc")),
            "attributes",
            List.of(Map.of("scope", "tags", "attribute", "site")),
            "page",
            1,
            "per_page",
            2);
    Http.Reply sorted = server.admin.post(search, bySite);
    assertThat(sorted.status()).as(sorted.text()).isEqualTo(200);
    assertThat(sorted.json()).extracting(d -> d.path("id").asText()).containsExactly(b, a);
    assertThat(sorted.header("X-Total-Count")).contains("3");
    assertThat(sorted.json().get(0).path("attributes"))
        .as("only the attributes selected")
        .hasSize(1);
    assertThat(server.admin.post(search, Map.of("text", "berlin")).json())
        .extracting(d -> d.path("id").asText())
        .containsExactly(a);
    assertThat(server.admin.post(search, Map.of("device_ids", List.of(c, "nope"))).json())
        .extracting(d -> d.path("id").asText())
        .containsExactly(c);
    Http.Reply bad =
        server.admin.post(
            search,
            Map.of("sort", List.of(Map.of("scope", "tags", "attribute", "site", "order", "up"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).contains("sort[0].order");
    assertThat(server.admin.post(search, Map.of("per_page", 501)).status()).isEqualTo(400);
  }

  @Test
  @Covers({
    "DELETE /api/management/v1/inventory/devices/{id}",
    "DELETE /api/management/v1/inventory/groups/{name}"
  })
  void deleteInventory_andGroup() {
    String a = server.acceptedDevice("bb:00:00:00:0b:01");
    String b = server.acceptedDevice("bb:00:00:00:0b:02");
    server.admin.patch(INVENTORY + "/groups/field/devices", List.of(a, b));
    server.admin.put(INVENTORY + "/devices/" + a + "/tags", List.of(tag("site", "x")));

    assertThat(server.admin.delete(INVENTORY + "/devices/" + a).status()).isEqualTo(204);
    assertThat(attributes(a, "tags")).isEmpty();
    assertThat(
            server.admin.get(INVENTORY + "/devices/" + a + "/group").json().path("group").isNull())
        .isTrue();
    assertThat(server.admin.get(DEVAUTH + "/devices/" + a).json().path("status").asText())
        .as("its admission stays")
        .isEqualTo("accepted");
    assertThat(server.admin.delete(INVENTORY + "/devices/nope").status()).isEqualTo(204);

    Http.Reply removed = server.admin.delete(INVENTORY + "/groups/field");
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().path("updated_count").asLong()).isEqualTo(1);
    assertThat(server.admin.get(INVENTORY + "/groups").json()).isEmpty();
    assertThat(server.admin.delete(INVENTORY + "/groups/field").status()).isEqualTo(404);
  }

  @Test
  @Covers({
    "GET /api/management/v2/inventory/statistics",
    "GET /api/management/v2/inventory/filters/attributes"
  })
  void statistics_andFilterableAttributes() {
    String a = server.acceptedDevice("bb:00:00:00:0c:01");
    new SimulatedDevice(KeyKind.EC, "bb:00:00:00:0c:02").authenticate(server.anonymous);
    server.admin.put(INVENTORY + "/devices/" + a + "/tags", List.of(tag("site", "x")));

    JsonNode statistics = server.admin.get("/api/management/v2/inventory/statistics").json();
    assertThat(statistics.path("devices_by_status").path("accepted").path("standard").asLong())
        .isEqualTo(1);
    assertThat(statistics.path("devices_by_status").path("pending").path("standard").asLong())
        .isEqualTo(1);

    JsonNode attributes =
        server.admin.get("/api/management/v2/inventory/filters/attributes").json();
    List<String> listed =
        StreamSupport.stream(attributes.spliterator(), false)
            .map(
                x ->
                    x.path("scope").asText()
                        + "/"
                        + x.path("name").asText()
                        + "="
                        + x.path("count").asLong())
            .toList();
    assertThat(listed).contains("identity/mac=2", "tags/site=1");
    assertThat(listed.indexOf("identity/mac=2")).isLessThan(listed.indexOf("tags/site=1"));
  }

  @Test
  @Covers({
    "POST /api/management/v2/devauth/devices/search",
    "GET /api/management/v2/devauth/limits/max_devices"
  })
  void devauthSearch_andLimit() {
    String a = server.acceptedDevice("bb:00:00:00:0d:01");
    new SimulatedDevice(KeyKind.EC, "bb:00:00:00:0d:02").authenticate(server.anonymous);
    String search = DEVAUTH + "/devices/search";
    assertThat(server.admin.post(search, Map.of("status", "accepted")).json())
        .extracting(d -> d.path("id").asText())
        .containsExactly(a);
    Http.Reply both = server.admin.post(search, Map.of("status", List.of("accepted", "pending")));
    assertThat(both.json()).hasSize(2);
    assertThat(both.header("X-Total-Count")).isEqualTo(Optional.of("2"));
    assertThat(server.admin.post(search, Map.of("id", List.of(a, "nope"))).json()).hasSize(1);
    Http.Reply bad = server.admin.post(search, Map.of("status", "sleeping"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).contains("sleeping");
    assertThat(server.admin.get(DEVAUTH + "/limits/max_devices").json().path("limit").asLong())
        .as("no limit")
        .isZero();
  }
}
