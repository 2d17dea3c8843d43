// Keeps the "Show only the people in this view" link pointing at the box the map shows, so that a
// map too big for one page can be narrowed to what is on screen (the server answers ?bbox=).
(function () {
  "use strict";
  var link = document.getElementById("peermap-in-view");
  var map = link && window[link.dataset.map];
  if (!map) return;

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)).toFixed(5); }

  function update() {
    var box = map.getBounds();
    var params = new URLSearchParams(window.location.search);
    params.set("bbox", [clamp(box.getWest(), -180, 180), clamp(box.getSouth(), -90, 90),
                        clamp(box.getEast(), -180, 180), clamp(box.getNorth(), -90, 90)].join(","));
    link.href = window.location.pathname + "?" + params.toString();
  }

  map.on("moveend", update);
  update();
})();
