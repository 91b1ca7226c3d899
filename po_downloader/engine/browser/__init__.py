"""Everything that talks to the browser (the only Selenium code) and the pure page decisions it feeds."""
