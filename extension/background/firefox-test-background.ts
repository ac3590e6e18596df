/** The background of the Firefox test build (dist-firefox-test/): the real one plus the test hooks. */
import './service-worker';
import './firefox-test-hooks';
