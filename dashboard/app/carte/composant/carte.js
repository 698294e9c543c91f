/* The map of every commune of France (issue 16): a Streamlit component without a build step
   (the components' postMessage protocol, written out below), over the Leaflet the app serves.

   - The geometry comes from the app's route (/carte/fichiers/…, named by its content's hash:
     the browser keeps it), once: a render that changes only the classes redraws without
     fetching anything.
   - The page sends one character per commune, in the files' order: its class ("0"…"9",
     the legend's index), "." for a commune outside the view; the legend's styles and words;
     the communes with a disparu as [index, count]; the selected commune's index.
   - Drawn on one canvas: one path per class, vertices closer than a pixel skipped; hit-tested
     by a grid of boxes then point in polygon (tooltip, click).
   - A click sends {indice, n} back (the page opens that commune's panel).
   - From zoom 8 on, the départements in view are fetched at full detail (their own files,
     same order) and drawn instead, without a rerun of the page.
   Names are text, never HTML. Test hooks: window.map, window.carteDessin. */
(function () {
  "use strict";
  var T = window.carteTemps = {debut: performance.timeOrigin + performance.now()};
  function note(nom) { if (!(nom in T)) { T[nom] = performance.timeOrigin + performance.now(); } }
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
  var IDX = new Int16Array(128);
  for (var a = 0; a < ALPHABET.length; a++) { IDX[ALPHABET.charCodeAt(a)] = a; }
  var ZOOM_DETAIL = 8, DETAIL_MAX = 6, PREFIXE = "/carte/fichiers/";
  var RAD = Math.PI / 180, MAXLAT = 85.0511287798;

  function envoyer(type, data) {
    data = data || {};
    data.isStreamlitMessage = true;
    data.type = type;
    window.parent.postMessage(data, "*");
  }
  // Web Mercator normalised to [0, 1]: Leaflet's pixels at zoom z are these times 256 * 2^z.
  function mx(lng) { return (lng + 180) / 360; }
  function my(lat) {
    var s = Math.sin(Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * RAD);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  function lng(x) { return x * 360 - 180; }
  function lat(y) { return Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) / RAD; }

  function anneau(s, q) {   // geo/encode.py's ring string -> [x0, y0, x1, y1, …] normalised
    var out = new Float64Array(s.length), k = 0, v = 0, m = 1, x = 0, y = 0, impair = false;
    for (var i = 0; i < s.length; i++) {
      var d = IDX[s.charCodeAt(i)];
      v += (d & 31) * m;
      if (d >= 32) { m *= 32; continue; }
      var n = (v % 2) ? -(v + 1) / 2 : v / 2;
      v = 0; m = 1;
      if (!impair) { x += n; } else { y += n; out[k++] = mx(x * q); out[k++] = my(y * q); }
      impair = !impair;
    }
    return out.subarray(0, k);
  }
  function anneaux(polygones, q) {
    var out = [];
    for (var p = 0; p < polygones.length; p++) {
      for (var r = 0; r < polygones[p].length; r++) { out.push(anneau(polygones[p][r], q)); }
    }
    return out;
  }

  var map = null, toile = null, ctx = null, F = null, A = null, fichierCharge = null, chargement = null;
  var noms = null, nomsDemandes = false, courant = -1, clique = -1, zoomee = false, touche = false;
  var compteur = 0, detailDemande = {}, PAD = 0.1;

  function charger(url) {
    fichierCharge = url;
    var t0 = performance.now();
    note("fetch");
    chargement = fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      note("reponse");
      return r.json();
    }).then(function (f) {
      note("json");
      var n = f.g.length, bb = new Float64Array(4 * n), rings = new Array(n);
      for (var i = 0; i < n; i++) {
        var rs = anneaux(f.g[i], f.q), x0 = 1, y0 = 1, x1 = 0, y1 = 0;
        for (var j = 0; j < rs.length; j++) {
          var r = rs[j];
          for (var k = 0; k < r.length; k += 2) {
            if (r[k] < x0) { x0 = r[k]; } if (r[k] > x1) { x1 = r[k]; }
            if (r[k + 1] < y0) { y0 = r[k + 1]; } if (r[k + 1] > y1) { y1 = r[k + 1]; }
          }
        }
        rings[i] = rs;
        bb[4 * i] = x0; bb[4 * i + 1] = y0; bb[4 * i + 2] = x1; bb[4 * i + 3] = y1;
      }
      F = {n: n, rings: rings, detail: new Array(n), bb: bb, d: f.d, f: f.f || [], noms: f.noms,
           dep: (f.dg || []).map(function (p) { return anneaux(p, f.q); })};
      F.decodeMs = performance.now() - t0;
      note("decode");
      chargement = null;
      toutVoir();
      suivreSelection();
      dessiner();
      detailEnVue();
    }).catch(function (e) {
      chargement = null;
      etat("La carte n'a pas pu être chargée (" + e.message + "). Rechargez la page.");
    });
  }

  // A grid of boxes over the communes: what a point may fall in.
  function grille() {
    var N = 256, cells = new Array(N * N), gx0 = 1, gy0 = 1, gx1 = 0, gy1 = 0, bb = F.bb, i;
    for (i = 0; i < F.n; i++) {
      if (bb[4 * i] > bb[4 * i + 2]) { continue; }
      gx0 = Math.min(gx0, bb[4 * i]); gy0 = Math.min(gy0, bb[4 * i + 1]);
      gx1 = Math.max(gx1, bb[4 * i + 2]); gy1 = Math.max(gy1, bb[4 * i + 3]);
    }
    var sx = N / Math.max(gx1 - gx0, 1e-12), sy = N / Math.max(gy1 - gy0, 1e-12);
    for (i = 0; i < F.n; i++) {
      if (bb[4 * i] > bb[4 * i + 2]) { continue; }
      var a0 = Math.max(0, Math.floor((bb[4 * i] - gx0) * sx)), a1 = Math.min(N - 1, Math.floor((bb[4 * i + 2] - gx0) * sx));
      var b0 = Math.max(0, Math.floor((bb[4 * i + 1] - gy0) * sy)), b1 = Math.min(N - 1, Math.floor((bb[4 * i + 3] - gy0) * sy));
      for (var u = a0; u <= a1; u++) {
        for (var w = b0; w <= b1; w++) { var c = w * N + u; (cells[c] || (cells[c] = [])).push(i); }
      }
    }
    F.grille = {N: N, x0: gx0, y0: gy0, sx: sx, sy: sy, cells: cells};
  }
  function dedans(rs, x, y) {
    var c = false;
    for (var a = 0; a < rs.length; a++) {
      var r = rs[a], n = r.length;
      for (var j = 0, k = n - 2; j < n; k = j, j += 2) {
        var yj = r[j + 1], yk = r[k + 1];
        if ((yj > y) !== (yk > y) && x < (r[k] - r[j]) * (y - yj) / (yk - yj) + r[j]) { c = !c; }
      }
    }
    return c;
  }
  function trouver(latlng) {
    if (!F || !A) { return -1; }
    if (!F.grille) { grille(); }   // built at the first pointer move, not before the first drawing
    var x = mx(latlng.lng), y = my(latlng.lat), g = F.grille;
    var u = Math.floor((x - g.x0) * g.sx), w = Math.floor((y - g.y0) * g.sy);
    if (u < 0 || w < 0 || u >= g.N || w >= g.N) { return -1; }
    var cell = g.cells[w * g.N + u] || [], detail = map.getZoom() >= ZOOM_DETAIL;
    for (var t = 0; t < cell.length; t++) {
      var i = cell[t], bb = F.bb;
      if (A.classes.charAt(i) === "." || x < bb[4 * i] || x > bb[4 * i + 2] || y < bb[4 * i + 1] || y > bb[4 * i + 3]) { continue; }
      if (dedans((detail && F.detail[i]) || F.rings[i], x, y)) { return i; }
    }
    return -1;
  }

  function tracer(path, rs, S, ox, oy) {
    for (var a = 0; a < rs.length; a++) {
      var r = rs[a];
      if (r.length < 6) { continue; }
      var lx = r[0] * S - ox, ly = r[1] * S - oy;
      path.moveTo(lx, ly);
      for (var j = 2; j < r.length; j += 2) {
        var x = r[j] * S - ox, y = r[j + 1] * S - oy;
        if (Math.abs(x - lx) + Math.abs(y - ly) < 0.7) { continue; }
        path.lineTo(x, y);
        lx = x; ly = y;
      }
      // Back to the start by a line, not closePath(): Chromium's closePath looks back through
      // the whole path for its start, and one path holds thousands of rings (quadratic: 40 s
      // for 35,000 communes, measured here; 10 ms this way).
      path.lineTo(r[0] * S - ox, r[1] * S - oy);
    }
  }

  var prevu = false;
  function dessiner() {   // once per frame, however many asked for it (a timer too: a frame that is
    if (prevu) { return; }  // not shown yet gets no animation frames)
    prevu = true;
    var fait = false, une = function () { if (!fait) { fait = true; prevu = false; dessinerMaintenant(); } };
    requestAnimationFrame(une);
    setTimeout(une, 40);
  }
  function dessinerMaintenant() {
    if (!F || !A || !ctx) { return; }
    var t0 = performance.now();
    var size = map.getSize(), px = Math.round(size.x * PAD), py = Math.round(size.y * PAD);
    var W = size.x + 2 * px, H = size.y + 2 * py, z = map.getZoom(), S = 256 * Math.pow(2, z);
    var o = map.getPixelBounds().min, ox = o.x - px, oy = o.y - py, dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    var vx0 = ox / S, vy0 = oy / S, vx1 = (ox + W) / S, vy1 = (oy + H) / S;
    var detail = z >= ZOOM_DETAIL, styles = A.styles, nc = styles.length, c, i, k;
    // The communes in view, by class: one path per class, filled then outlined.
    var parClasse = [], traces = 0, total = 0, bb = F.bb, cl = A.classes;
    for (c = 0; c < nc; c++) { parClasse.push([]); }
    for (i = 0; i < F.n; i++) {
      c = cl.charCodeAt(i) - 48;
      if (c < 0 || c >= nc) { continue; }
      total++;
      if (bb[4 * i] > vx1 || bb[4 * i + 2] < vx0 || bb[4 * i + 1] > vy1 || bb[4 * i + 3] < vy0) { continue; }
      parClasse[c].push(i);
      traces++;
    }
    var trait = z < 6.5 ? 0.2 : z < 8 ? 0.35 : z < 10 ? 0.6 : 1, tChemins = 0, tRemplir = 0;
    ctx.lineJoin = "round";
    for (c = 0; c < nc; c++) {
      var t1 = performance.now(), liste = parClasse[c];
      ctx.beginPath();
      for (k = 0; k < liste.length; k++) { tracer(ctx, (detail && F.detail[liste[k]]) || F.rings[liste[k]], S, ox, oy); }
      var t2 = performance.now();
      tChemins += t2 - t1;
      if (styles[c].fillOpacity > 0) {
        ctx.globalAlpha = styles[c].fillOpacity;
        ctx.fillStyle = styles[c].fillColor;
        ctx.fill("evenodd");
      }
      ctx.globalAlpha = 1;
      ctx.lineWidth = trait * Math.min(1, styles[c].weight || 1);
      ctx.strokeStyle = styles[c].color || "#9a9a9a";
      ctx.stroke();
      tRemplir += performance.now() - t2;
    }
    var tTraits = performance.now() - t0;
    // Départements' borders at national scale: where one is, at a glance.
    if (F.dep.length && z < 9) {
      var dp = new Path2D();
      F.dep.forEach(function (rs) { tracer(dp, rs, S, ox, oy); });
      ctx.lineWidth = z < 6.5 ? 0.6 : 0.9;
      ctx.strokeStyle = "#666666";
      ctx.stroke(dp);
    }
    // The insets' boxes (overseas).
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#666666";
    F.f.forEach(function (b) {
      var x0 = mx(b[0][1]) * S - ox, y0 = my(b[1][0]) * S - oy, x1 = mx(b[1][1]) * S - ox, y1 = my(b[0][0]) * S - oy;
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    });
    ctx.setLineDash([]);
    // The disparus: dots that grow with the zoom.
    var rayon = Math.max(1.5, Math.min(5, (z - 7) * 2));
    ctx.fillStyle = A.couleur_disparus || "#161616";
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = rayon < 3 ? 0.5 : 1.5;
    (A.disparus || []).forEach(function (d) {
      var k = d[0];
      if (k >= F.n || cl.charAt(k) === ".") { return; }
      var x = (bb[4 * k] + bb[4 * k + 2]) / 2 * S - ox, y = (bb[4 * k + 1] + bb[4 * k + 3]) / 2 * S - oy;
      if (x < 0 || y < 0 || x > W || y > H) { return; }
      ctx.beginPath();
      ctx.arc(x, y, rayon, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
    window.carteRayonDisparus = rayon;
    // The selected commune, outlined.
    if (courant >= 0 && courant < F.n) {
      var sel = new Path2D();
      tracer(sel, (detail && F.detail[courant]) || F.rings[courant], S, ox, oy);
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 6; ctx.stroke(sel);
      ctx.strokeStyle = "#161616"; ctx.lineWidth = 3; ctx.stroke(sel);
    }
    note("dessin");
    window.carteDessin = {traces: traces, total: total, ms: performance.now() - t0, zoom: z, decodeMs: F.decodeMs,
                          detail: Object.keys(detailDemande).length,
                          chemins: tChemins, remplir: tRemplir, traits: tTraits - tChemins - tRemplir, classes: cl.length, clics: compteur, rendus: window.carteRendus, selection: courant};
  }

  var Couche = L.Layer.extend({
    onAdd: function (m) {
      toile = L.DomUtil.create("canvas", "leaflet-zoom-animated");
      toile.setAttribute("aria-hidden", "true");
      m.getPanes().overlayPane.appendChild(toile);
      ctx = toile.getContext("2d");
      m.on("moveend resize viewreset", this._reset, this);
      m.on("zoomanim", this._anim, this);
      this._reset();
    },
    _reset: function () {
      var size = map.getSize(), px = Math.round(size.x * PAD), py = Math.round(size.y * PAD);
      var dpr = window.devicePixelRatio || 1, W = size.x + 2 * px, H = size.y + 2 * py;
      L.DomUtil.setPosition(toile, map.containerPointToLayerPoint([-px, -py]));
      if (toile.width !== Math.round(W * dpr) || toile.height !== Math.round(H * dpr)) {
        toile.width = Math.round(W * dpr); toile.height = Math.round(H * dpr);
        toile.style.width = W + "px"; toile.style.height = H + "px";
      }
      dessiner();
    },
    _anim: function (e) {
      var size = map.getSize(), scale = map.getZoomScale(e.zoom);
      var haut = map._latLngBoundsToNewLayerBounds(map.getBounds(), e.zoom, e.center).min;
      var decal = L.point(Math.round(size.x * PAD), Math.round(size.y * PAD)).multiplyBy(scale);
      L.DomUtil.setTransform(toile, haut.subtract(decal), scale);
    }
  });

  function etat(texte) {
    var e = document.getElementById("carte-etat");
    e.textContent = texte || "";
    e.style.display = texte ? "block" : "none";
  }

  function bornesVue() {   // [[south, west], [north, east]] of the communes in view
    var x0 = 1, y0 = 1, x1 = 0, y1 = 0, cl = A.classes, bb = F.bb;
    for (var i = 0; i < F.n; i++) {
      if (cl.charAt(i) === "." || bb[4 * i] > bb[4 * i + 2]) { continue; }
      x0 = Math.min(x0, bb[4 * i]); y0 = Math.min(y0, bb[4 * i + 1]);
      x1 = Math.max(x1, bb[4 * i + 2]); y1 = Math.max(y1, bb[4 * i + 3]);
    }
    return x0 > x1 ? null : [[lat(y1), lng(x0)], [lat(y0), lng(x1)]];
  }
  function toutVoir() {
    var b = F && A ? bornesVue() : null;
    if (b) { map.fitBounds(b, {padding: [6, 6], animate: false}); }
  }
  function suivreSelection() {
    var voulu = typeof A.selection === "number" ? A.selection : -1;
    if (voulu === courant) { return; }
    courant = voulu;
    if (courant >= 0 && courant !== clique && F && courant < F.n) {
      var bb = F.bb, k = courant;
      map.fitBounds([[lat(bb[4 * k + 3]), lng(bb[4 * k])], [lat(bb[4 * k + 1]), lng(bb[4 * k + 2])]],
                    {maxZoom: 11, padding: [40, 40]});
      zoomee = true;
    } else if (courant < 0 && zoomee) {
      zoomee = false;
      toutVoir();
    }
    clique = -1;
  }

  function detailEnVue() {
    if (!F || map.getZoom() < ZOOM_DETAIL) { return; }
    var vue = map.getBounds(), demandes = 0;
    F.d.forEach(function (d) {
      var code = d[0], premier = d[1], nombre = d[2], b = d[3], nom = d[4];
      if (!nom || !b || detailDemande[code] || demandes >= DETAIL_MAX) { return; }
      if (!vue.intersects(L.latLngBounds([b[0], b[1]], [b[2], b[3]]))) { return; }
      detailDemande[code] = "demandé";
      demandes++;
      fetch(PREFIXE + nom + ".json", {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      }).then(function (f) {
        for (var j = 0; j < nombre && j < f.g.length; j++) {
          if (f.g[j].length) { F.detail[premier + j] = anneaux(f.g[j], f.q); }
        }
        detailDemande[code] = "chargé";
        window.carteDetail = Object.keys(detailDemande).filter(function (c) { return detailDemande[c] === "chargé"; });
        dessiner();
      }).catch(function () { delete detailDemande[code]; });
    });
  }

  function chargerNoms() {
    if (nomsDemandes || !F || !F.noms) { return; }
    nomsDemandes = true;
    fetch(PREFIXE + F.noms + ".json", {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (f) { noms = f; }).catch(function () { nomsDemandes = false; });
  }

  function creer(a) {
    var box = document.getElementById("carte");
    map = L.map(box, {zoomControl: false, zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: true,
                      center: [46.6, 2.4], zoom: 5, minZoom: 3, maxZoom: 16});
    window.map = map;
    map.attributionControl.setPrefix(a.prefixe || "");
    if (a.attribution) { map.attributionControl.addAttribution(a.attribution); }
    if (a.tuiles) {
      L.tileLayer(a.tuiles, {attribution: a.tuiles_attribution || "Fond de carte", maxZoom: 19}).addTo(map);
    }
    L.control.zoom({zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière"}).addTo(map);
    // A phone: the scale at the top, clear of the attribution.
    L.control.scale({metric: true, imperial: false, maxWidth: 120,
                     position: box.clientWidth < 480 ? "topright" : "bottomleft"}).addTo(map);
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", a.titre || "Carte des communes");
    try { if (window.frameElement) { window.frameElement.setAttribute("title", a.titre || "Carte des communes"); } } catch (e) { /* another origin */ }
    var e = document.createElement("div");
    e.id = "carte-etat"; e.className = "carte-etat"; e.setAttribute("role", "status");
    box.appendChild(e);
    var bulle = document.createElement("div");
    bulle.className = "carte-bulle"; bulle.setAttribute("aria-hidden", "true");
    box.appendChild(bulle);
    new Couche().addTo(map);
    ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (ev) {
      box.addEventListener(ev, function () { touche = true; }, {passive: true});
    });
    map.on("resize", function () { if (!touche && !zoomee) { toutVoir(); } });
    map.on("moveend", detailEnVue);
    // Touch screens: one finger scrolls the page, two fingers move and zoom the map.
    if (L.Browser.touch && L.Browser.mobile) {
      map.dragging.disable();
      var aide = document.createElement("div");
      aide.className = "carte-deux-doigts"; aide.setAttribute("aria-hidden", "true");
      aide.textContent = "Utilisez deux doigts pour déplacer la carte";
      box.appendChild(aide);
      var cacher = null;
      box.addEventListener("touchstart", function (ev) {
        if (ev.touches.length !== 1) { aide.style.opacity = 0; return; }
        aide.style.opacity = 1;
        clearTimeout(cacher);
        cacher = setTimeout(function () { aide.style.opacity = 0; }, 1500);
      }, {passive: true});
    }
    var attente = null;
    map.on("mousemove", function (ev) {
      chargerNoms();
      if (attente) { return; }
      attente = requestAnimationFrame(function () {
        attente = null;
        var i = trouver(ev.latlng);
        if (i < 0) { bulle.style.display = "none"; return; }
        bulle.textContent = "";
        var b = document.createElement("b");
        b.textContent = noms ? noms.n[i] + " (" + noms.c[i] + ")" : "Commune";
        bulle.appendChild(b);
        var k = A.classes.charCodeAt(i) - 48, ligne = document.createElement("span");
        ligne.textContent = (A.titre_classe ? A.titre_classe + " : " : "") + (A.libelles[k] || "");
        bulle.appendChild(ligne);
        var p = ev.containerPoint, large = map.getSize().x;
        bulle.style.display = "block";
        bulle.style.left = Math.min(p.x + 14, large - bulle.offsetWidth - 4) + "px";
        bulle.style.top = (p.y + 14) + "px";
      });
    });
    map.on("mouseout", function () { bulle.style.display = "none"; });
    map.on("click", function (ev) {
      var i = trouver(ev.latlng);
      if (i < 0) { return; }
      clique = i; courant = i;
      dessiner();
      compteur++;
      envoyer("streamlit:setComponentValue", {value: {indice: i, n: compteur}, dataType: "json"});
    });
  }

  function hauteur(a) {
    var large = document.documentElement.clientWidth || window.innerWidth, h = a.hauteur || 600;
    // A phone: about as tall as wide, not a long strip.
    return large < 640 ? Math.min(h, Math.max(360, Math.round(large * 1.1))) : h;
  }

  function rendre(a) {
    var premier = !map;
    window.carteRendus = (window.carteRendus || 0) + 1;
    window.carteClasses = a.classes;
    note("rendu");
    A = a;
    if (premier) { creer(a); }
    envoyer("streamlit:setFrameHeight", {height: hauteur(a)});
    if (premier) { setTimeout(function () { map.invalidateSize(); }, 0); }
    if (a.fichier !== fichierCharge) { F = null; charger(a.fichier); return; }
    if (!F) { return; }
    suivreSelection();
    dessiner();
  }

  window.addEventListener("message", function (ev) {
    if (ev.source !== window.parent || !ev.data || ev.data.type !== "streamlit:render") { return; }
    rendre(ev.data.args);
  });
  window.addEventListener("resize", function () {
    if (A) { envoyer("streamlit:setFrameHeight", {height: hauteur(A)}); }
  });
  envoyer("streamlit:componentReady", {apiVersion: 1});
})();
