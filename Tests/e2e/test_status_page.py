"""The status page (GET /) in a real headless browser: Debian's chromium and chromium-driver,
driven by Selenium, against real llama-servers. The page must load without console errors,
list the models, unload and load them on a click (the API confirms it), and show the admin-key
prompt when the server asks for a key. A screenshot goes to Tests/e2e/artifacts/status-page.png.
Without chromium the test fails: it is part of CI, never skipped."""
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from http_client import request
from processes import wait_until
from test_access_control import ADMIN_KEY, start_with_keys

ARTIFACTS = Path(__file__).with_name("artifacts")
SCREENSHOT = ARTIFACTS / "status-page.png"


@pytest.fixture
def browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "the status page test needs chromium and chromedriver: " \
                                     "scripts/install-system-packages chromium chromium-driver"
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def running(proxy, headers=None) -> dict:
    response = request(proxy.port, "GET", "/running", headers=headers)
    assert response.status == 200, response.body
    return {entry["model"]: entry["state"] for entry in response.json()["running"]}


def wait(driver, condition, message, timeout=120):
    return WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException, NoSuchElementException]).until(
        lambda _: condition(), message)


def badge(driver, model) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'tr[data-model="{model}"] .statecell .state').text


def click(driver, model, kind):
    """Clicks the model's load or unload button (the table is redrawn on every update: find it anew)."""
    wait(driver, lambda: driver.find_element(By.CSS_SELECTOR, f'tr[data-model="{model}"] button.{kind}').is_enabled(),
         f"{model}'s {kind} button")
    wait(driver, lambda: driver.find_element(By.CSS_SELECTOR, f'tr[data-model="{model}"] button.{kind}').click() or True,
         f"a click on {model}'s {kind} button")


def console_errors(driver, allowed=()):
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and not any(text in entry["message"] for text in allowed)]


def test_the_status_page_lists_the_models_and_loads_and_unloads_them(start_proxy, browser):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=1)
    assert request(proxy.port, "POST", "/models/load?wait=true", {"model": "tiny-a"}, timeout=120).status == 200
    assert request(proxy.port, "POST", "/v1/chat/completions",
                   {"model": "tiny-a", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}, timeout=120).status == 200
    browser.get(proxy.base_url + "/")
    assert browser.title == "Llama Smart Proxy"
    wait(browser, lambda: badge(browser, "tiny-a") == "ready", "tiny-a listed as ready")
    # Every read goes through `wait`: a live update may replace an element between find and read.
    wait(browser, lambda: badge(browser, "tiny-b") == "unloaded", "tiny-b listed as unloaded", timeout=5)
    wait(browser, lambda: browser.find_element(By.ID, "livetext").text == "live", "the event stream to be followed")
    wait(browser, lambda: "host" in browser.find_element(By.ID, "devices").text, "the host device listed", timeout=5)
    wait(browser, lambda: "POST /v1/chat/completions" in browser.find_element(By.ID, "requests").text,
         "the request listed", timeout=5)

    click(browser, "tiny-a", "unload")
    wait_until(lambda: running(proxy) == {}, timeout=120, message="the API to confirm tiny-a unloaded")
    wait(browser, lambda: badge(browser, "tiny-a") == "unloaded", "the page to show tiny-a unloaded")

    click(browser, "tiny-b", "load")
    wait_until(lambda: running(proxy) == {"tiny-b": "ready"}, timeout=120, message="the API to confirm tiny-b loaded")
    wait(browser, lambda: badge(browser, "tiny-b") == "ready", "the page to show tiny-b ready")
    # The live badge comes first; the status the page then reads has the rest (uptime, device).
    wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, 'tr[data-model="tiny-b"] .uptime').text != "–",
         "the page to show tiny-b's uptime")

    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT)), "the screenshot was not written"
    assert SCREENSHOT.stat().st_size > 10_000
    assert console_errors(browser) == []


def test_with_an_admin_key_the_page_asks_for_it_and_then_works(start_proxy, browser):
    proxy = start_with_keys(start_proxy, max_loaded=1)
    admin = [("Authorization", f"Bearer {ADMIN_KEY}")]
    browser.get(proxy.base_url + "/ui")
    key_field = wait(browser, lambda: browser.find_element(By.ID, "key").is_displayed() and browser.find_element(By.ID, "key"),
                     "the key prompt")
    key_field.send_keys(ADMIN_KEY)
    wait(browser, lambda: browser.find_element(By.CSS_SELECTOR, "#keyform button").click() or True, "the key submitted")
    wait(browser, lambda: badge(browser, "tiny-a") == "unloaded", "the models listed once the key is given")
    click(browser, "tiny-a", "load")
    wait_until(lambda: running(proxy, headers=admin) == {"tiny-a": "ready"}, timeout=120, message="tiny-a loaded by the page")
    wait(browser, lambda: badge(browser, "tiny-a") == "ready", "the page to show tiny-a ready")
    assert browser.execute_script("return sessionStorage.getItem('lsp-admin-key')") == ADMIN_KEY
    # The only errors: the answers of 401 before the key was given.
    assert console_errors(browser, allowed=("401",)) == []
