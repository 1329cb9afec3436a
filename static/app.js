// brief: small enhancements only; every page works without this file.
(function () {
  "use strict";
})();
