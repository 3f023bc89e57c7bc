// When the session has expired (or the account was locked) the server answers Dash's requests with 401:
// the page would silently stop updating, so it goes to the login page, coming back here afterwards.
(function () {
  var fetch0 = window.fetch;
  window.fetch = function () {
    return fetch0.apply(this, arguments).then(function (response) {
      if (response.status === 401 && response.url.indexOf("/_dash-") !== -1) {
        window.location.assign("/dang-nhap?next=" +
          encodeURIComponent(window.location.pathname + window.location.search));
      }
      return response;
    });
  };
})();
