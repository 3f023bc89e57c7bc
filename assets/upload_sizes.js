// The Dữ liệu page's upload: what one upload carries is kept under what the server reads.
//
// Why: dcc.Upload hands the server every chosen file as base64 in one callback request, which the server parses in
// memory. A file over the per-file limit is never read (max_size, below); here the files past the total one request
// may carry go to the server as a name and a size only, so the server writes the refusal (in Vietnamese) and the
// request stays small. The server checks the sizes again.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  cchc_upload: {
    sent: function (contents, names, limits) {
      var noUpdate = window.dash_clientside.no_update;
      if (!contents || !limits) return [noUpdate, noUpdate];
      var list = Array.isArray(contents) ? contents : [contents];
      var nameList = Array.isArray(names) ? names : [names];
      // dcc.Upload lists the files in the order their reading finished, which varies from one try to the next on
      // a busy computer: in name order (phan_2 before phan_10), the same files chosen twice are sent, held back and
      // shown the same way.
      var files = list.map(function (content, i) { return {text: String(content || ""), name: nameList[i] || ""}; });
      files.sort(function (a, b) { return a.name.localeCompare(b.name, "vi", {numeric: true}); });
      var sent = {contents: [], names: [], over_total: []};
      var total = 0;
      files.forEach(function (file) {
        var text = file.text;
        var encoded = text.slice(text.indexOf(",") + 1);
        var padding = encoded.endsWith("==") ? 2 : encoded.endsWith("=") ? 1 : 0;
        var size = Math.floor(encoded.length * 3 / 4) - padding;
        var name = file.name;
        if (total + size > limits.request) {
          sent.over_total.push([name, size]);
        } else {
          total += size;
          sent.contents.push(text);
          sent.names.push(name);
        }
      });
      // The upload's own contents are emptied: the same file chosen again is a new upload.
      return [sent, null];
    }
  }
});

// A file over the limit is refused by the upload itself (dcc.Upload's max_size: not read at all, so a file of
// gigabytes costs nothing), and the upload says nothing of it: the box under it does, in the server's words (its
// data-message, «{name}» and «{size}» to fill), for each file chosen or dropped that is over data-limit.
(function () {
  var BOX_ID = "du-lieu-upload-too-large";
  var UPLOAD_ID = "du-lieu-upload";

  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function sizeText(size) {   // etl/uploads.py size_text
    if (size < 1048576) return grouped(size) + " byte";
    var megabytes = size / 1048576;
    if (megabytes >= 10) return grouped(Math.round(megabytes)) + " MB";
    return String(Math.round(megabytes * 10) / 10).replace(".", ",") + " MB";
  }

  function tell(files) {
    var box = document.getElementById(BOX_ID);
    if (!box || !files) return;
    var limit = Number(box.getAttribute("data-limit"));
    var message = box.getAttribute("data-message") || "";
    var lines = [];
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > limit) {
        lines.push(message.replace("{name}", files[i].name).replace("{size}", sizeText(files[i].size)));
      }
    }
    box.textContent = lines.join("\n");
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("#" + UPLOAD_ID)) tell(target.files);
  }, true);
  document.addEventListener("drop", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("#" + UPLOAD_ID) && event.dataTransfer) {
      tell(event.dataTransfer.files);
    }
  }, true);
})();
