// The campaign map's drawing tool. Anyone signed in sketches a new campaign's area with the mouse
// (Leaflet-Geoman's polygon and rectangle tools) or the keyboard (on the map: the arrow keys move
// it, C adds a corner at the cross in its centre, U takes the last one back; or the buttons), and
// saving sends the API's own createCampaign mutation: the same operation, checks and rights as
// any GraphQL client's.
(function () {
  "use strict";
  var form = document.getElementById("new-campaign-form");
  var map = form && window[form.dataset.map];
  if (!map || !map.pm) return;

  var MUTATION = "mutation Propose($input: CreateCampaignInput!) " +
                 "{ createCampaign(input: $input) { campaign { id title } } }";
  var words = form.dataset;  // the page's words, in its language (maps/templates/campaigns_drawing.html)
  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }
  var status = document.getElementById("area-status");
  var result = document.getElementById("save-result");
  var drawn = null;   // the shape drawn with the mouse
  var corners = [];   // or the corners added from the keyboard
  var sketch = L.polygon([], {color: "#000000", weight: 3, dashArray: "6 4", pmIgnore: true}).addTo(map);

  // The toolbar's edit, move and remove tools are for the area being drawn only: the
  // neighbourhoods and campaigns shown are not Geoman's to change.
  map.eachLayer(function (layer) {
    if (layer.options && !layer.options.pmIgnore) {
      layer.options.pmIgnore = true;
      L.PM.reInitLayer(layer);
    }
  });

  var cross = L.DomUtil.create("div", "peermap-cross", map.getContainer());
  cross.textContent = "+";
  cross.setAttribute("aria-hidden", "true");

  map.pm.addControls({position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
                      drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false, dragMode: false});
  map.pm.setGlobalOptions({allowSelfIntersection: false});
  // Geoman titles the buttons' wrappers, not the buttons: name the buttons for screen readers.
  map.getContainer().querySelectorAll("[title] > .leaflet-buttons-control-button").forEach(function (button) {
    button.setAttribute("aria-label", button.parentNode.title);
  });

  function area() {
    if (drawn) return drawn.toGeoJSON().geometry;
    if (corners.length < 3) return null;
    var ring = corners.map(function (c) { return [c.lng, c.lat]; });
    ring.push(ring[0]);
    return {type: "Polygon", coordinates: [ring]};
  }

  function describe() {
    var shape = area();
    if (!shape) {
      status.textContent = corners.length ? say(words.someCorners, {n: corners.length}) : words.noArea;
      return;
    }
    var ring = shape.coordinates[0];
    status.textContent = say(words.area, {
      n: ring.length - 1,
      lat: (ring.reduce(function (s, p) { return s + p[1]; }, 0) / ring.length).toFixed(4),
      lon: (ring.reduce(function (s, p) { return s + p[0]; }, 0) / ring.length).toFixed(4)});
  }

  function forgetDrawn() {
    if (drawn) map.removeLayer(drawn);
    drawn = null;
  }

  map.on("pm:create", function (event) {
    forgetDrawn();
    corners = [];
    sketch.setLatLngs([]);
    drawn = event.layer;
    drawn.on("pm:edit", describe);
    describe();
  });
  map.on("pm:remove", function (event) {
    if (event.layer === drawn) { drawn = null; describe(); }
  });

  function addCorner() {
    forgetDrawn();
    corners.push(map.getCenter());
    sketch.setLatLngs(corners);
    describe();
  }
  function undoCorner() {
    corners.pop();
    sketch.setLatLngs(corners);
    describe();
  }
  document.getElementById("add-corner").addEventListener("click", addCorner);
  document.getElementById("undo-corner").addEventListener("click", undoCorner);
  // The drawing keys on the map itself, so that a corner is one key away, not forty Tabs; the map
  // says so to a screen reader when it takes the focus.
  map.getContainer().setAttribute("aria-describedby", "drawing-keys");
  map.getContainer().addEventListener("keydown", function (event) {
    if (event.target !== map.getContainer() || event.ctrlKey || event.altKey || event.metaKey) return;
    var key = event.key.toLowerCase();
    if (key === "c") { addCorner(); event.preventDefault(); }
    else if (key === "u") { undoCorner(); event.preventDefault(); }
  });
  document.getElementById("clear-area").addEventListener("click", function () {
    forgetDrawn();
    corners = [];
    sketch.setLatLngs([]);
    describe();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var shape = area();
    if (!shape) {
      result.textContent = words.drawFirst;
      return;
    }
    var data = new FormData(form);
    var input = {title: data.get("title"), description: data.get("description") || "", area: shape,
                 neighbourhoods: data.getAll("neighbourhoods"), neededSkills: data.getAll("neededSkills")};
    if (data.get("startsOn")) input.startsOn = data.get("startsOn");
    result.textContent = words.saving;
    fetch("/graphql", {method: "POST", credentials: "same-origin",
                       headers: {"content-type": "application/json", "accept": "application/json"},
                       body: JSON.stringify({query: MUTATION, variables: {input: input}})})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.errors) {
          result.textContent = words.notSaved + " " + answer.errors.map(function (e) { return e.message; }).join("; ");
          return;
        }
        var campaign = answer.data.createCampaign.campaign;
        result.textContent = say(words.saved, {title: campaign.title});
        // To its plan, at the plan's words (the text below the map), where the keyboard goes on.
        window.location.assign("/maps/campaigns?campaign=" + encodeURIComponent(campaign.id) + "#text-alternative");
      })
      .catch(function () { result.textContent = words.unreachable; });
  });
  describe();
})();
