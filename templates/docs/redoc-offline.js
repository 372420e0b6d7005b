"use strict";
// Loaded before Redoc. Redoc's sidebar shows Redocly's logo from cdn.redoc.ly, which the CSP
// refuses (a console error) and which would tell another host who reads our docs. An image
// from another host gets no address (whether set as an attribute or a property), and is hidden.
(() => {
  const elsewhere = (value) => {
    const url = new URL(String(value), document.baseURI);
    return url.protocol !== "data:" && url.host !== window.location.host;
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && name.toLowerCase() === "src" && elsewhere(value)) {
      this.hidden = true;
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      if (elsewhere(value)) {
        this.hidden = true;
        return;
      }
      src.set.call(this, value);
    },
  });
})();
