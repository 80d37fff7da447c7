package io.bulwark.health;

/**
 * Receives state changes. Called synchronously, in order, on the thread that decided the change (a
 * health-plane thread): keep it short and never block. A listener that throws is logged and does
 * not stop the others.
 */
@FunctionalInterface
public interface HealthListener {
  void onChange(HealthEvent event);
}
