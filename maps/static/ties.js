// Draws the network map's ties from one compact array (a JSON block in the page) on a canvas:
// tens of thousands of lines as one layer, rather than a GeoJSON feature and an SVG path each.
// Each tie is [lat, lon, lat, lon, line width, opacity in %]; the layer is the map's "Ties" group.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var block = document.getElementById("peermap-ties");
  var group = block && window[block.dataset.layer];
  if (!group) return;
  var renderer = L.canvas({padding: 0.5});
  JSON.parse(block.textContent).forEach(function (tie) {
    L.polyline([[tie[0], tie[1]], [tie[2], tie[3]]], {renderer: renderer, color: "#333333", weight: tie[4],
                                                      opacity: tie[5] / 100, interactive: false}).addTo(group);
  });
});
