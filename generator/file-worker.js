/* Cluster Grid: start Material's search worker from a Blob when the site is read from disk
   (browsers refuse file:// workers), and say on the results list whether it still waits for an
   answer. Generated at build time by generator/offline.py from the theme's own worker,
   __WORKER_NAME__ (Material for MkDocs, MIT licence). */
(function () {
  "use strict";
  if (typeof Worker === "undefined") return;
  var NativeWorker = window.Worker;
  var SEARCH = /workers\/search\.[0-9a-f]+\.min\.js$/;

  // The worker answers queries in order, one answer per query. Until the answer to the last
  // query typed has arrived, the results list is marked aria-busy: what it shows belongs to an
  // earlier query (a reader typing fast sees "jp" results while "JP-0002" is still on its way).
  function busy(on) {
    var list = document.querySelector(".md-search-result");
    if (list) list.setAttribute("aria-busy", on ? "true" : "false");
  }
  function tracked(worker) {
    var pending = 0;
    var send = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === 2) { pending += 1; busy(true); }
      return send.apply(worker, arguments);
    };
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (message && message.type === 3 && pending > 0) {
        pending -= 1;
        // after the theme's own listener has shown the results
        if (!pending) setTimeout(function () { busy(pending > 0); }, 0);
      }
    });
    return worker;
  }

  var fromDisk = location.protocol === "file:" && typeof Blob !== "undefined";
  var source = null;
  var blobUrl = null;
  if (fromDisk) {
    // Before the worker's own code: turn documents sent as a JSON string back into objects,
    // in the worker, where parsing them costs the page nothing.
    var prelude = "(function () { var add = self.addEventListener.bind(self);" +
      "self.addEventListener = function (type, listener, options) {" +
      "if (type !== 'message') return add(type, listener, options);" +
      "return add(type, function (event) { var m = event.data;" +
      "if (m && m.type === 0 && m.data && typeof m.data.docs === 'string') {" +
      "m = {type: 0, data: Object.assign({}, m.data, {docs: JSON.parse(m.data.docs)})};" +
      "return listener.call(self, {data: m}); }" +
      "return listener.call(self, event); }, options); };" +
      // Results go back best first; past the first MAX_RESULTS the page would only spend time
      // cloning and sorting thousands of matches for a one-letter query.
      "var post = self.postMessage.bind(self); self.postMessage = function (m) {" +
      "if (m && m.type === 3 && m.data && m.data.items && m.data.items.length > MAX_RESULTS) {" +
      "m = {type: 3, data: Object.assign({}, m.data, {items: m.data.items.slice(0, MAX_RESULTS)})}; }" +
      "return post(m); }; })();\n";
    source = prelude.replace(/MAX_RESULTS/g, "__MAX_RESULTS__") + __WORKER_SOURCE__;
  }
  function SearchWorker(url, options) {
    if (!SEARCH.test(String(url))) return new NativeWorker(url, options);
    if (fromDisk) {
      blobUrl = blobUrl || URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
      return tracked(new NativeWorker(blobUrl, options));
    }
    return tracked(new NativeWorker(url, options));
  }
  SearchWorker.prototype = NativeWorker.prototype;
  window.Worker = SearchWorker;
})();
