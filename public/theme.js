// Applies the theme the customer picked in the header (src/ui/theme.rs) before the first paint, so a
// dark choice never flashes light. A classic script in <head>: it runs before <body> renders.
(function () {
  try {
    var theme = window.localStorage.getItem('portal.theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
  } catch (e) {
    // Storage disabled: the system's preference applies.
  }
})();
