// The scripts of geo/maps.py's folium maps, served by the app (dashboard/ops/vendor.sh copies
// this folder to /app/static/vendor/geo/): each map then sends only its data, a call per
// element, not these functions again (12 KB of every map the page pushed).
// controlesCarte: geo.maps.Controles; coucheCompacte: geo.maps.CompactLayer (their docstrings
// say what they do). Text from the data goes into the page as text (textContent), never HTML.


window.controlesCarte = function (map, C) {
  var titre = C.titre;
  map.attributionControl.setPrefix(C.prefixe);
  L.control.zoom({zoomInTitle: C.zoom_avant, zoomOutTitle: C.zoom_arriere}).addTo(map);
  L.control.scale({metric: true, imperial: false, maxWidth: 120}).addTo(map);
  // folium's viewport meta forbids zooming the page (WCAG 1.4.4).
  document.querySelectorAll('meta[name="viewport"]').forEach(function (m) { m.remove(); });
  var box = map.getContainer();
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", titre);
  try { if (window.frameElement) { window.frameElement.setAttribute("title", titre); } } catch (e) { /* another origin */ }
  // Touch screens: one finger scrolls the page, two fingers move and zoom the map.
  if (L.Browser.touch && L.Browser.mobile) {
    map.dragging.disable();
    var aide = L.DomUtil.create("div", "carte-deux-doigts", box);
    aide.textContent = C.deux_doigts;
    aide.setAttribute("aria-hidden", "true");
    var cacher = null;
    box.addEventListener("touchstart", function (e) {
      if (e.touches.length !== 1) { aide.style.opacity = 0; return; }
      aide.style.opacity = 1;
      clearTimeout(cacher);
      cacher = setTimeout(function () { aide.style.opacity = 0; }, 1500);
    }, {passive: true});
  }
  // A narrow frame (a phone): the map about as tall as wide, not a long white strip
  // (after st_folium has sized its frame).
  setTimeout(function () {
    var largeur = box.clientWidth, haut = Math.min(box.clientHeight, Math.max(360, Math.round(largeur * 1.1)));
    if (largeur >= 640 || haut >= box.clientHeight || !window.Streamlit) { return; }
    box.style.height = haut + "px";
    window.Streamlit.setFrameHeight(haut);
    map.invalidateSize();
  }, 0);
  var css = document.createElement("style");
  css.textContent = ".carte-deux-doigts{position:absolute;inset:0;z-index:1000;display:flex;align-items:center;" +
    "justify-content:center;background:rgba(22,22,22,.55);color:#fff;font:600 15px/1.3 sans-serif;" +
    "text-align:center;padding:1em;opacity:0;transition:opacity .3s;pointer-events:none}" +
    ".leaflet-control-attribution{font-size:10px}.leaflet-container{background:#ffffff}";
  document.head.appendChild(css);
};

window.coucheCompacte = function (map, C) {
  var A = C.alphabet, I = {}, q = C.quantum;
  for (var a = 0; a < A.length; a++) { I[A.charAt(a)] = a; }
  function ring(s) {
    var out = [], v = 0, m = 1, x = 0, y = 0, odd = false;
    for (var i = 0; i < s.length; i++) {
      var d = I[s.charAt(i)];
      v += (d & 31) * m;
      if (d >= 32) { m *= 32; continue; }
      var n = (v % 2) ? -(v + 1) / 2 : v / 2;
      v = 0; m = 1;
      if (!odd) { x += n; } else { y += n; out.push([+(x * q).toFixed(6), +(y * q).toFixed(6)]); }
      odd = !odd;
    }
    out.push(out[0]);
    return out;
  }
  // Where a name goes: the centroid of the largest exterior ring, or, when it falls outside
  // (a crescent), the middle of the widest horizontal chord at its latitude.
  function ancre(r) {
    var A2 = 0, cx = 0, cy = 0;
    for (var i = 0; i < r.length - 1; i++) {
      var c = r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
      A2 += c; cx += (r[i][0] + r[i + 1][0]) * c; cy += (r[i][1] + r[i + 1][1]) * c;
    }
    if (!A2) { return [r[0][1], r[0][0]]; }
    cx /= 3 * A2; cy /= 3 * A2;
    var xs = [];
    for (var j = 0; j < r.length - 1; j++) {
      var p = r[j], s = r[j + 1];
      if ((p[1] > cy) !== (s[1] > cy)) { xs.push(p[0] + (cy - p[1]) * (s[0] - p[0]) / (s[1] - p[1])); }
    }
    xs.sort(function (u, w) { return u - w; });
    for (var k = 0; k + 1 < xs.length; k += 2) { if (xs[k] <= cx && cx <= xs[k + 1]) { return [cy, cx]; } }
    var best = null;
    for (var t = 0; t + 1 < xs.length; t += 2) { if (!best || xs[t + 1] - xs[t] > best[1] - best[0]) { best = [xs[t], xs[t + 1]]; } }
    return best ? [cy, (best[0] + best[1]) / 2] : [cy, cx];
  }
  var G = C.geometry, P = C.props, S = C.styles, T = C.tooltip,
      L_ = C.labels, M = C.markers, R = C.frames, B = C.bounds;
  var keys = Object.keys(P), features = [], places = [], RANG = {};
  (C.priorite).forEach(function (f, i) { RANG[f] = i; });
  for (var f = 0; f < G.length; f++) {
    if (!G[f].length) { continue; }
    var props = {};
    for (var k = 0; k < keys.length; k++) { props[keys[k]] = P[keys[k]][f]; }
    var polygons = G[f].map(function (p) { return p.map(ring); });
    var s = 90, w = 180, n = -90, e = -180, big = null, bigArea = -1;
    polygons.forEach(function (p) {
      var r = p[0], x0 = 180, x1 = -180, y0 = 90, y1 = -90;
      r.forEach(function (c) { x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]); y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]); });
      s = Math.min(s, y0); w = Math.min(w, x0); n = Math.max(n, y1); e = Math.max(e, x1);
      if ((x1 - x0) * (y1 - y0) > bigArea) { bigArea = (x1 - x0) * (y1 - y0); big = r; }
    });
    features.push({type: "Feature", properties: props, geometry: {type: "MultiPolygon", coordinates: polygons}});
    places.push({code: String(props.code), nom: String(props.nom), ll: ancre(big), bb: [s, w, n, e], rang: RANG[f]});
  }
  function fmt(v, how) {
    if (how === "p") { return String(v).replace(".", ",") + " %"; }
    if (how === "l") { return L_[v]; }
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }
  function tip(p) {
    var d = document.createElement("div"), b = document.createElement("b");
    b.textContent = p.nom + " (" + p.code + ")";
    d.appendChild(b);
    T.forEach(function (t) {
      var v = p[t[1]];
      if (v === null || v === undefined) { return; }
      var line = document.createElement("div");
      line.textContent = t[0] + " : " + fmt(v, t[2]);
      d.appendChild(line);
    });
    return d;
  }
  var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
    style: function (feature) { return S[feature.properties.k]; },
    attribution: C.attribution
  });
  layer.bindTooltip(function (l) { return tip(l.feature.properties); }, {sticky: true});
  layer.addTo(map);
  R.forEach(function (b) {
    L.rectangle(b, {color: "#666666", weight: 1, dashArray: "4 3", fill: false, interactive: false}).addTo(map);
  });

  // Fitting the territory: at load, and when the frame changes size until the user moves the map.
  var touche = false, zoomee = null;
  function toutVoir() { if (B) { map.fitBounds(B, {padding: [6, 6], animate: false}); } }
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (ev) {
    map.getContainer().addEventListener(ev, function () { touche = true; }, {passive: true});
  });
  map.on("resize", function () { if (!touche && !zoomee) { toutVoir(); } });
  toutVoir();

  // The disparus: dots that grow with the zoom (small while many communes share the frame).
  var dots = L.featureGroup();
  function rayon() { return Math.max(1.5, Math.min(5, (map.getZoom() - 7) * 2)); }
  if (M.length) {
    M.forEach(function (m) {
      var dot = L.circleMarker([m[0], m[1]], {radius: rayon(), color: "#ffffff", weight: 1,
                                               fillColor: C.marker_color, fillOpacity: 1});
      dot.feature = {type: "Feature", properties: {code: m[3], nom: m[4], disparus: m[2]}};
      dot.bindTooltip(function () {  // a DOM node: the name is text, never HTML
        var d = document.createElement("div");
        d.textContent = m[4] + " : " + m[2] + (m[2] > 1 ? " objets disparus" : " objet disparu");
        return d;
      });
      dots.addLayer(dot);
    });
    dots.addTo(map);
  }
  function tailleDesPoints() {
    var r = rayon();
    dots.eachLayer(function (d) { d.setRadius(r); d.setStyle({weight: r < 3 ? 0.5 : 1.5}); });
    window.carteRayonDisparus = r;
  }
  map.on("zoomend", tailleDesPoints);
  tailleDesPoints();

  // Names: the largest features first, never two overlapping; more as the user zooms in.
  var etiquettes = L.layerGroup().addTo(map);
  if (C.etiquettes) {
    map.createPane("etiquettes").style.pointerEvents = "none";
    map.getPane("etiquettes").style.zIndex = 450;
    var css = document.createElement("style");
    css.textContent = ".carte-etiquette span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;" +
      "font:600 11px/1 sans-serif;color:#161616;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 3px #fff}";
    document.head.appendChild(css);
    var mesure = document.createElement("canvas").getContext("2d");
    mesure.font = "600 11px sans-serif";
    var codes = C.codes;
    var placer = function () {
      etiquettes.clearLayers();
      var z = map.getZoom(), vue = map.getBounds().pad(0.1), candidats = [], pris = [];
      places.forEach(function (p) {
        if (!vue.contains(p.ll)) { return; }
        var a = map.project([p.bb[0], p.bb[1]], z), b = map.project([p.bb[2], p.bb[3]], z);
        var larg = Math.abs(b.x - a.x), haut = Math.abs(b.y - a.y);
        var seuil = p.rang === undefined ? 12 : 4;   // a speck at this zoom: no name (a town: smaller)
        if (larg < seuil || haut < seuil) { return; }
        var texte = p.nom, tw = mesure.measureText(texte).width + 4;
        if (codes && (z < 7 || tw > larg)) { texte = p.code; tw = mesure.measureText(texte).width + 4; }
        candidats.push({p: p, texte: texte, w: tw, aire: larg * haut, rang: p.rang === undefined ? Infinity : p.rang});
      });
      candidats.sort(function (u, v) { return (u.rang - v.rang) || (v.aire - u.aire); });
      candidats.forEach(function (c) {
        var pt = map.latLngToContainerPoint(c.p.ll);
        var r = [pt.x - c.w / 2 - 8, pt.y - 12, pt.x + c.w / 2 + 8, pt.y + 12];   // a margin between names
        for (var i = 0; i < pris.length; i++) {
          var o = pris[i];
          if (!(r[2] < o[0] || r[0] > o[2] || r[3] < o[1] || r[1] > o[3])) { return; }
        }
        pris.push(r);
        var span = document.createElement("span");
        span.textContent = c.texte;  // text, never HTML
        L.marker(c.p.ll, {icon: L.divIcon({className: "carte-etiquette", html: span, iconSize: null}),
                          interactive: false, keyboard: false, pane: "etiquettes"}).addTo(etiquettes);
      });
      window.carteEtiquettes = pris.length;
    };
    map.on("zoomend moveend", placer);
    placer();
  }

  // The feature the page's URL selects: outlined; the map zooms to it when it was not
  // chosen by a click on the map (the clicked one is already in view).
  var param = C.selection, parCode = {}, halo = L.layerGroup().addTo(map), courant = null, clique = null;
  layer.eachLayer(function (l) { parCode[String(l.feature.properties.code)] = l; });
  function entourer(code) {
    halo.clearLayers();
    courant = code;
    var l = code ? parCode[code] : null;
    if (!l) { return null; }
    L.polygon(l.getLatLngs(), {color: "#ffffff", weight: 6, fill: false, interactive: false}).addTo(halo);
    L.polygon(l.getLatLngs(), {color: "#161616", weight: 3, fill: false, interactive: false}).addTo(halo);
    return l;
  }
  function voulu() {
    try { return new URLSearchParams(window.parent.location.search).get(param); } catch (e) { return null; }
  }
  function suivre() {
    var code = voulu();
    if (code === courant) { return; }
    var l = entourer(code);
    if (l && code !== clique) {
      map.fitBounds(l.getBounds(), {maxZoom: 13, padding: [40, 40]});
      zoomee = code;
    } else if (!l && zoomee) {
      zoomee = null;
      toutVoir();
    }
    clique = null;
  }
  if (param) {
    layer.on("click", function (ev) { clique = String(ev.layer.feature.properties.code); entourer(clique); });
    dots.on("click", function (ev) { clique = String(ev.layer.feature.properties.code); entourer(clique); });
    suivre();
    setInterval(suivre, 300);
  }
  window.carteFeatures = features.length;
  window.carteEntouree = function () { return courant; };
};
